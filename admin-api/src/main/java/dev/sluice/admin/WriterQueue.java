package dev.sluice.admin;

import static java.util.Objects.requireNonNull;

import dev.sluice.discovery.ControlThreads;
import dev.sluice.discovery.Source;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The registry's writer: one thread that takes every change in the order it arrived. Service
 * changes ({@code reconfigure}, {@code remove}) that queued one after another while the thread
 * was busy are handed over together, so that a burst (a stack of services deployed at once) pays
 * for one compile, one publish and one save instead of one each. Any other task ({@code reload},
 * a reconcile) runs alone, after what queued before it and before what queued after it.
 *
 * <p>With {@code CONTROL_PRIORITY=idle} the writer thread is in {@code SCHED_IDLE}, and on a
 * saturated core it may not run for seconds. So a second thread, in the normal class, looks at
 * the queue {@link #TAKE_OVER_AFTER} after each change arrives; if anything is still waiting, it
 * applies everything queued itself. One of the two runs the queue at a time, in arrival order; a
 * change the idle thread has started is finished by it first.
 */
final class WriterQueue implements AutoCloseable {

    /** At most this many service changes in one group; the rest wait for the next one. */
    static final int MAX_GROUP = 128;

    /** A {@code reconfigure} ({@code params} set) or a {@code remove} ({@code params} null) waiting to be applied. */
    record ServiceChange(Source source, Map<String, List<String>> params, String removeName,
                         CompletableFuture<Outcome> done) {

        static ServiceChange reconfigure(Source source, Map<String, List<String>> params) {
            return new ServiceChange(requireNonNull(source, "source"), requireNonNull(params, "params"), null,
                    new CompletableFuture<>());
        }

        static ServiceChange remove(String serviceName) {
            return new ServiceChange(Source.API, null, serviceName, new CompletableFuture<>());
        }
    }

    /** How long a change may wait for an idle writer thread before a normal-class thread applies it. */
    static final Duration TAKE_OVER_AFTER = Duration.ofMillis(100);

    private final ExecutorService thread;
    /** Normal class; {@code null} when the writer thread is not idle (nothing to take over from). */
    private final ScheduledExecutorService watch;
    private final long takeOverNanos;
    /** Held while the queue is run, by the writer thread or by {@link #watch}. */
    private final ReentrantLock running = new ReentrantLock();
    /** {@link ServiceChange}s and {@link Runnable}s, in arrival order; polled under {@link #running} only. */
    private final Queue<Queued> queue = new ConcurrentLinkedQueue<>();
    private final Consumer<List<ServiceChange>> applyGroup;
    private boolean closed;

    /**
     * @param applyGroup applies service changes that arrived one after another, in order, and
     *                   completes each one's future; runs on the writer thread (or the thread that
     *                   takes over from it), never on two threads at once
     */
    WriterQueue(Consumer<List<ServiceChange>> applyGroup) {
        this(applyGroup, Executors.newSingleThreadExecutor(ControlThreads.named("sluice-admin-writer")),
                ControlThreads.idleRequested() ? TAKE_OVER_AFTER : null);
    }

    /**
     * @param writer        runs the queue as changes arrive
     * @param takeOverAfter how long a change may wait for {@code writer} before a thread of the
     *                      normal class applies what is queued; {@code null}: never
     */
    WriterQueue(Consumer<List<ServiceChange>> applyGroup, ExecutorService writer, Duration takeOverAfter) {
        this.applyGroup = requireNonNull(applyGroup, "applyGroup");
        this.thread = requireNonNull(writer, "writer");
        this.watch = takeOverAfter == null ? null
                : Executors.newSingleThreadScheduledExecutor(ControlThreads.neverIdle("sluice-takeover"));
        this.takeOverNanos = takeOverAfter == null ? 0 : takeOverAfter.toNanos();
    }

    /** Queues a service change; its future completes once it is applied (or refused). */
    CompletableFuture<Outcome> change(ServiceChange change) {
        enqueue(change);
        return change.done();
    }

    /** Queues {@code task} to run alone on the writer thread. */
    <T> CompletableFuture<T> alone(Supplier<T> task) {
        CompletableFuture<T> done = new CompletableFuture<>();
        enqueue((Runnable) () -> {
            try {
                done.complete(task.get());
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done;
    }

    /** A change or a task, and when it was queued ({@link System#nanoTime}). */
    private record Queued(Object op, long at) {
    }

    /** Under the lock with {@link #close}: once closed, nothing is queued that would not run. */
    private synchronized void enqueue(Object op) {
        if (closed) {
            throw new RejectedExecutionException("the service registry is closed");
        }
        queue.add(new Queued(op, System.nanoTime()));
        thread.execute(this::runNext);
        if (watch != null) {
            watch.schedule(this::takeOver, takeOverNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** One run per queued item: the first may take the service changes queued behind it too. */
    private void runNext() {
        running.lock();
        try {
            runHead();
        } finally {
            running.unlock();
        }
    }

    /**
     * On {@link #watch}, {@link #takeOverNanos} after an item was queued: if the oldest item still
     * waiting has waited that long, the writer thread did not get to it in time; everything queued
     * is applied here (after the change the writer thread may be in the middle of).
     */
    private void takeOver() {
        Queued oldest = queue.peek();
        if (oldest == null || System.nanoTime() - oldest.at() < takeOverNanos) {
            return; // applied in time, or queued since: its own take-over looks at it
        }
        running.lock();
        try {
            while (queue.peek() != null) {
                runHead();
            }
        } finally {
            running.unlock();
        }
    }

    /** Applies the head of the queue, with the service changes queued right behind it; under {@link #running}. */
    private void runHead() {
        Queued head = queue.poll();
        if (head == null) {
            return; // taken with a group already
        }
        if (head.op() instanceof Runnable task) {
            task.run();
            return;
        }
        List<ServiceChange> group = new ArrayList<>();
        group.add((ServiceChange) head.op());
        for (Queued next = queue.peek(); group.size() < MAX_GROUP && next != null
                && next.op() instanceof ServiceChange change; next = queue.peek()) {
            queue.poll();
            group.add(change);
        }
        try {
            applyGroup.accept(group);
        } catch (Throwable t) {
            group.forEach(c -> c.done().completeExceptionally(t)); // those already answered keep their answer
        }
    }

    /** Refuses new changes; those already queued are still applied. */
    @Override
    public synchronized void close() {
        closed = true;
        thread.shutdown();
        if (watch != null) {
            watch.shutdown(); // a take-over already scheduled still runs
        }
    }
}
