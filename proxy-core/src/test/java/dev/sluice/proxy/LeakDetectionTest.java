package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** The leak check itself: a dropped buffer must fail the build. */
class LeakDetectionTest {

    @Test
    void droppedBuffer_isReportedAsLeak() {
        leakOne();
        assertThatThrownBy(LeakDetection::assertNoLeaks)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("leak");
    }

    private static void leakOne() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer(64);
        b.writeInt(42);
        // dropped without release()
    }
}
