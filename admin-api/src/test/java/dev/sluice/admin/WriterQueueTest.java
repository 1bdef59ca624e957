package dev.sluice.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The writer's queue when its thread cannot run (an idle-class thread on a saturated core): after
 * the take-over delay a normal-class thread applies what waits, in order; without a take-over
 * delay the changes wait for the writer thread.
 */
class WriterQueueTest {

    /** Applied changes, as "name@thread". */
    private final List<String> applied = new CopyOnWriteArrayList<>();
    private WriterQueue queue;

    @AfterEach
    void close() {
        if (queue != null) {
            queue.close();
        }
    }

    private void apply(List<WriterQueue.ServiceChange> group) {
        for (WriterQueue.ServiceChange c : group) {
            applied.add(c.removeName() + "@" + Thread.currentThread().getName());
            c.done().complete(Outcome.ok("", c.removeName(), Map.of()));
        }
    }

    @Test
    void aStalledWriter_isTakenOverAfterTheDelay_inArrivalOrder() throws Exception {
        Stalled writer = new Stalled();
        queue = new WriterQueue(this::apply, writer, Duration.ofMillis(50));
        List<CompletableFuture<Outcome>> answers = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            answers.add(queue.change(WriterQueue.ServiceChange.remove(name)));
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(applied).containsExactly("a@sluice-takeover", "b@sluice-takeover",
                "c@sluice-takeover");
        assertThat(answers.get(2).get().status()).isEqualTo(200);

        // the writer's own runs, when it finally gets to them, find nothing left to apply
        writer.runAll();
        assertThat(applied).hasSize(3);
    }

    @Test
    void withoutATakeOverDelay_changesWaitForTheWriter() throws Exception {
        Stalled writer = new Stalled();
        queue = new WriterQueue(this::apply, writer, null);
        CompletableFuture<Outcome> answer = queue.change(WriterQueue.ServiceChange.remove("a"));
        Thread.sleep(300);
        assertThat(answer).isNotDone();
        assertThat(applied).isEmpty();

        writer.runAll();
        assertThat(answer.get(1, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(applied).containsExactly("a@" + Thread.currentThread().getName());
    }

    /** An executor whose thread never gets the core: tasks wait until {@link #runAll} runs them here. */
    private static final class Stalled extends AbstractExecutorService {
        private final List<Runnable> tasks = new CopyOnWriteArrayList<>();

        void runAll() {
            for (Runnable task : tasks) {
                task.run();
            }
            tasks.clear();
        }

        @Override
        public void execute(Runnable command) {
            tasks.add(command);
        }

        @Override
        public void shutdown() {
        }

        @Override
        public List<Runnable> shutdownNow() {
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }
}
