package dev.sluice.proxy;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code timeout client} of one client connection: while an exchange waits on the client (more
 * request body to read, or a response the client does not read), the connection ends after this
 * long without progress. One task per connection, re-scheduled for the time left rather than
 * per read; runs on the connection's event loop.
 */
final class ClientTimeout {

    private final EventExecutor executor;
    private final BooleanSupplier active;
    private final BooleanSupplier waitingOnClient;
    private final Runnable onTimeout;
    private ScheduledFuture<?> timer;
    private long lastProgress;

    /**
     * @param active          whether an exchange is going on (otherwise the watch ends)
     * @param waitingOnClient whether it waits on the client now
     * @param onTimeout       closes the connection
     */
    ClientTimeout(EventExecutor executor, BooleanSupplier active, BooleanSupplier waitingOnClient, Runnable onTimeout) {
        this.executor = executor;
        this.active = active;
        this.waitingOnClient = waitingOnClient;
        this.onTimeout = onTimeout;
    }

    /** The client sent something, or took what was written. */
    void progress() {
        lastProgress = EventClock.now();
    }

    /** Watches from now on, if not already ({@code ms} 0: no timeout). */
    void arm(long ms) {
        if (ms <= 0 || timer != null) {
            return;
        }
        timer = executor.schedule(() -> check(ms), ms, TimeUnit.MILLISECONDS);
    }

    void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void check(long ms) {
        timer = null;
        if (!active.getAsBoolean()) {
            return;
        }
        boolean waiting = waitingOnClient.getAsBoolean();
        long idle = TimeUnit.NANOSECONDS.toMillis(EventClock.now() - lastProgress);
        if (waiting && idle >= ms) {
            onTimeout.run();
            return;
        }
        long next = waiting ? ms - idle : ms;
        timer = executor.schedule(() -> check(ms), next, TimeUnit.MILLISECONDS);
    }
}
