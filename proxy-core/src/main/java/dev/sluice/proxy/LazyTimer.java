package dev.sluice.proxy;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * A timeout on an event loop that is cheap to move. Setting a later deadline, or clearing it,
 * schedules nothing: the task already queued fires at its old time, sees the new deadline and
 * waits again. So a timeout that is re-armed on every request or every read costs a field write,
 * not a scheduled task each time. Used only from its event loop.
 */
final class LazyTimer implements Runnable {

    private final EventExecutor executor;
    private final Runnable onExpiry;
    private long deadline;
    private boolean armed;
    private ScheduledFuture<?> task;
    private long taskAt;

    LazyTimer(EventExecutor executor, Runnable onExpiry) {
        this.executor = executor;
        this.onExpiry = onExpiry;
    }

    /** Expires {@code ms} from now (replacing any earlier deadline); {@code ms <= 0} clears it. */
    void set(long ms) {
        if (ms <= 0) {
            clear();
            return;
        }
        long at = EventClock.now() + TimeUnit.MILLISECONDS.toNanos(ms);
        deadline = at;
        armed = true;
        if (task == null || at - taskAt < 0) {
            if (task != null) {
                task.cancel(false);
            }
            schedule(at);
        }
    }

    /** No deadline; a queued task fires once more and does nothing. */
    void clear() {
        armed = false;
    }

    /** No deadline and no queued task (the owner is going away). */
    void cancel() {
        armed = false;
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    private void schedule(long at) {
        taskAt = at;
        task = executor.schedule(this, Math.max(0, at - EventClock.now()), TimeUnit.NANOSECONDS);
    }

    @Override
    public void run() {
        task = null;
        if (!armed) {
            return;
        }
        long left = deadline - EventClock.now();
        if (left > 0) {
            schedule(deadline);
            return;
        }
        armed = false;
        onExpiry.run();
    }
}
