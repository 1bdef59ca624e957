package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

class LazyTimerTest {

    private final EventLoop loop = new DefaultEventLoop();

    @AfterEach
    void tearDown() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void expiresAfterTheLastDeadlineSet_notTheFirst() throws Exception {
        CountDownLatch fired = new CountDownLatch(1);
        AtomicLong firedAt = new AtomicLong();
        long start = System.nanoTime();
        LazyTimer timer = new LazyTimer(loop, () -> {
            firedAt.set(System.nanoTime());
            fired.countDown();
        });
        loop.execute(() -> timer.set(100));
        Thread.sleep(60);
        loop.execute(() -> timer.set(150)); // moved later: fires ~210 ms after start
        assertThat(fired.await(2, TimeUnit.SECONDS)).isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(firedAt.get() - start)).isGreaterThanOrEqualTo(200);
    }

    @Test
    void anEarlierDeadline_firesEarly() throws Exception {
        CountDownLatch fired = new CountDownLatch(1);
        long start = System.nanoTime();
        LazyTimer timer = new LazyTimer(loop, fired::countDown);
        loop.execute(() -> timer.set(5000));
        loop.execute(() -> timer.set(50));
        assertThat(fired.await(2, TimeUnit.SECONDS)).isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000);
    }

    @Test
    void clearedTimer_doesNotFire() throws Exception {
        CountDownLatch fired = new CountDownLatch(1);
        LazyTimer timer = new LazyTimer(loop, fired::countDown);
        loop.execute(() -> {
            timer.set(50);
            timer.clear();
        });
        assertThat(fired.await(300, TimeUnit.MILLISECONDS)).isFalse();
    }
}
