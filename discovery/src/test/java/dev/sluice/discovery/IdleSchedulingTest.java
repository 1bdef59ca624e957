package dev.sluice.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Control-plane threads in Linux's SCHED_IDLE class, as the kernel reports them in /proc. */
class IdleSchedulingTest {

    private static final int SCHED_OTHER = 0;

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);

    @AfterEach
    void normalAgain() {
        ControlThreads.scheduleIdle(null);
    }

    @Test
    void aControlThreadStartedAfterScheduleIdle_runsInSchedIdle_andSaysNothing() throws Exception {
        ControlThreads.scheduleIdle(new IdleScheduling(out));

        assertThat(policyOfAThreadFrom("sluice-test-control")).isEqualTo(IdleScheduling.SCHED_IDLE);
        assertThat(log.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void withoutScheduleIdle_aControlThreadKeepsTheNormalClass() throws Exception {
        assertThat(policyOfAThreadFrom("sluice-test-control")).isEqualTo(SCHED_OTHER);
    }

    @Test
    void theThreadThatAsks_isNotMoved_onlyTheControlThreadsItStarts() throws Exception {
        ControlThreads.scheduleIdle(new IdleScheduling(out));
        policyOfAThreadFrom("sluice-test-control");

        assertThat(IdleScheduling.policyOf(IdleScheduling.currentThreadId())).isEqualTo(SCHED_OTHER);
    }

    @Test
    void whenChrtCannotRun_oneWarning_andTheThreadsKeepTheNormalClass() throws Exception {
        ControlThreads.scheduleIdle(new IdleScheduling(out, "sluice-no-such-chrt"));

        assertThat(policyOfAThreadFrom("sluice-test-a")).isEqualTo(SCHED_OTHER);
        assertThat(policyOfAThreadFrom("sluice-test-b")).isEqualTo(SCHED_OTHER);
        assertThat(log.toString(StandardCharsets.UTF_8).lines().toList()).singleElement().asString()
                .startsWith("warning: control-plane threads keep the normal scheduling class: cannot run chrt");
    }

    /** The policy a thread from {@link ControlThreads#named} reports for itself while it runs. */
    private static int policyOfAThreadFrom(String name) throws Exception {
        CompletableFuture<Integer> policy = new CompletableFuture<>();
        ControlThreads.named(name).newThread(() -> {
            try {
                policy.complete(IdleScheduling.policyOf(IdleScheduling.currentThreadId()));
            } catch (Exception e) {
                policy.completeExceptionally(e);
            }
        }).start();
        return policy.get(20, TimeUnit.SECONDS);
    }
}
