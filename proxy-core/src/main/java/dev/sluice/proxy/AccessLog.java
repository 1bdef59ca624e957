package dev.sluice.proxy;

import io.netty.util.internal.PlatformDependent;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The access log: event loops hand each entry to a bounded lock-free queue and go on; one thread
 * of its own formats and writes them. When the queue is full (the output cannot keep up) an entry
 * is dropped and counted rather than stalling a request: an event loop never waits for a disk or
 * a pipe.
 */
public final class AccessLog implements AutoCloseable {

    /** How lines look: HAProxy's {@code option httplog}, or one JSON object per line. */
    public enum Format { HTTPLOG, JSON }

    static final int DEFAULT_CAPACITY = 64 * 1024;

    private final Queue<AccessLogEntry> queue;
    private final Format format;
    private final OutputStream out;
    private final Thread writer;
    private final LongAdder dropped = new LongAdder();
    private volatile long written;
    private volatile boolean closed;

    private AccessLog(Format format, OutputStream out, int capacity) {
        this.format = format;
        this.out = new BufferedOutputStream(out, 64 * 1024);
        this.queue = PlatformDependent.newFixedMpscQueue(capacity);
        this.writer = new Thread(this::run, "sluice-access-log");
        this.writer.setDaemon(true);
    }

    /** Starts the writer thread; {@code out} is written by it alone and closed by {@link #close()}. */
    public static AccessLog start(Format format, OutputStream out) {
        return start(format, out, DEFAULT_CAPACITY);
    }

    static AccessLog start(Format format, OutputStream out, int capacity) {
        AccessLog log = new AccessLog(format, out, capacity);
        log.writer.start();
        return log;
    }

    /** Hands {@code entry} to the writer without waiting; drops it (counted) when the queue is full. */
    public void log(AccessLogEntry entry) {
        if (closed || !queue.offer(entry)) {
            dropped.increment();
        }
    }

    /** Entries dropped because the output could not keep up (or after close). */
    public long dropped() {
        return dropped.sum();
    }

    /** Entries written so far. */
    public long written() {
        return written;
    }

    private void run() {
        StringBuilder line = new StringBuilder(256);
        boolean dirty = false;
        while (true) {
            AccessLogEntry e = queue.poll();
            if (e == null) {
                if (dirty) {
                    flush();
                    dirty = false;
                }
                if (closed) {
                    return;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
                continue;
            }
            line.setLength(0);
            if (format == Format.JSON) {
                AccessLogFormats.json(e, line);
            } else {
                AccessLogFormats.httplog(e, line);
            }
            line.append('\n');
            try {
                out.write(line.toString().getBytes(StandardCharsets.UTF_8));
                dirty = true;
                written++;
            } catch (IOException ex) {
                dropped.increment();
            }
        }
    }

    private void flush() {
        try {
            out.flush();
        } catch (IOException ignored) {
            // a closed pipe: lines are lost, requests are not
        }
    }

    /** Writes what is queued, then stops the writer and closes the output. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(writer);
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            return; // stuck on an output that does not take more: do not wait on it here too
        }
        while (queue.poll() != null) {
            dropped.increment(); // handed over while closing, after the writer's last look
        }
        flush();
        try {
            out.close();
        } catch (IOException ignored) {
            // nothing more to write
        }
    }
}
