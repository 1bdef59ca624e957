package dev.sluice.app;

import dev.sluice.routing.StateEvent;
import dev.sluice.routing.StateEvents;

import java.io.PrintStream;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes server state changes ({@link StateEvent}s) to the log on a thread of its own: the
 * change may happen on a proxy event loop (a passive check), which must never wait for a
 * terminal or a pipe. When the queue is full, lines are dropped and counted, never waited for.
 */
final class EventLog implements AutoCloseable {

    private static final int QUEUE = 4096;

    private final BlockingQueue<StateEvent> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;

    EventLog(PrintStream out) {
        writer = new Thread(() -> {
            try {
                while (true) {
                    StateEvent e = queue.take();
                    out.println(Instant.ofEpochMilli(e.timeMillis()) + " " + e);
                    long lost = dropped.getAndSet(0);
                    if (lost > 0) {
                        out.println("warning: " + lost + " server state change line(s) dropped (log too slow)");
                    }
                }
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
            }
        }, "sluice-event-log");
        writer.setDaemon(true);
        writer.start();
        StateEvents.listen(e -> {
            if (!queue.offer(e)) {
                dropped.incrementAndGet();
            }
        });
    }

    @Override
    public void close() {
        StateEvents.listen(null);
        writer.interrupt();
    }
}
