package dev.sluice.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reported a buffer leak while it ran. Registered for every test
 * class (JUnit extension auto-detection). Leaks are found when a leaked buffer is garbage
 * collected, so the check forces collections and allocations before asserting.
 */
public final class LeakDetection implements BeforeAllCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            throw new IllegalStateException("tests must run with -Dio.netty.leakDetection.level=paranoid");
        }
        RecordingLeakDetector.LEAKS.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        assertNoLeaks();
    }

    /** Forces leak reports out and fails when there are any. */
    public static void assertNoLeaks() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(40);
            // Reports are emitted from allocation paths: allocate to flush them.
            ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer(16);
            b.release();
            ByteBuf u = UnpooledByteBufAllocator.DEFAULT.buffer(16);
            u.release();
        }
        if (!RecordingLeakDetector.LEAKS.isEmpty()) {
            String all = String.join("\n\n", RecordingLeakDetector.LEAKS);
            RecordingLeakDetector.LEAKS.clear();
            throw new AssertionError("Netty reported buffer leaks:\n" + all);
        }
    }
}
