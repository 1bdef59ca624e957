package dev.sluice.admin;

import static java.util.Objects.requireNonNull;

import dev.sluice.discovery.ControlThreads;
import dev.sluice.discovery.Source;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The registry's writer: one thread that takes every change in the order it arrived. Service
 * changes ({@code reconfigure}, {@code remove}) that queued one after another while the thread
 * was busy are handed over together, so that a burst (a stack of services deployed at once) pays
 * for one compile, one publish and one save instead of one each. Any other task ({@code reload},
 * a reconcile) runs alone, after what queued before it and before what queued after it.
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

    private final ExecutorService thread = Executors.newSingleThreadExecutor(ControlThreads.named("sluice-admin-writer"));
    /** {@link ServiceChange}s and {@link Runnable}s, in arrival order; polled by the writer thread only. */
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final Consumer<List<ServiceChange>> applyGroup;
    private boolean closed;

    /**
     * @param applyGroup applies service changes that arrived one after another, in order, and
     *                   completes each one's future; runs on the writer thread
     */
    WriterQueue(Consumer<List<ServiceChange>> applyGroup) {
        this.applyGroup = requireNonNull(applyGroup, "applyGroup");
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

    /** Under the lock with {@link #close}: once closed, nothing is queued that would not run. */
    private synchronized void enqueue(Object op) {
        if (closed) {
            throw new RejectedExecutionException("the service registry is closed");
        }
        queue.add(op);
        thread.execute(this::runNext);
    }

    /** One run per queued item: the first may take the service changes queued behind it too. */
    private void runNext() {
        Object head = queue.poll();
        if (head == null) {
            return; // taken with a group already
        }
        if (head instanceof Runnable task) {
            task.run();
            return;
        }
        List<ServiceChange> group = new ArrayList<>();
        group.add((ServiceChange) head);
        while (group.size() < MAX_GROUP && queue.peek() instanceof ServiceChange next) {
            queue.poll();
            group.add(next);
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
    }
}
