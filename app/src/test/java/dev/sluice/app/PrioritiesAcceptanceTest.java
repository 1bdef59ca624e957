package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.app.SluiceProcess.Answer;
import dev.sluice.discovery.IdleScheduling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * {@code CONTROL_PRIORITY} as a user starts Sluice: which of its threads
 * the kernel schedules in {@code SCHED_IDLE} (what {@code ps -eLo cls,comm} shows as {@code IDL}),
 * read from {@code /proc/PID/task}, while the proxy keeps serving.
 */
class PrioritiesAcceptanceTest {

    private static final int SCHED_OTHER = 0;
    private static final int SCHED_IDLE = IdleScheduling.SCHED_IDLE;

    @RegisterExtension
    final SluiceProcesses sluices = new SluiceProcesses();

    @TempDir
    Path stateDir;

    @Test
    void controlPriorityIdle_putsTheWriterInSchedIdle_notTheAdminApiNorTheEventLoopsNorTheJit() throws Exception {
        Map<String, Set<Integer>> policies = policiesAfterAChange("priorities-idle", Map.of("CONTROL_PRIORITY", "idle"));

        assertThat(policies.get("sluice-admin-wr")).as("the registry's writer").containsExactly(SCHED_IDLE);
        assertThat(policies.get("sluice-replicas")).as("discovery's peer lookups").containsExactly(SCHED_IDLE);
        assertThat(policies.get("vert.x-eventloo")).as("the admin API's event loop, which answers ping")
                .containsExactly(SCHED_OTHER);
        assertThat(policies.get("sluice-proxy-N-")).as("the proxy's event loops").containsExactly(SCHED_OTHER);
        assertThat(policies.get("CN CompilerThre")).as("the JIT").containsExactly(SCHED_OTHER);
        assertThat(policies.get("java")).as("the main thread (and the launcher's)").containsExactly(SCHED_OTHER);
    }

    @Test
    void byDefault_everyThreadKeepsTheNormalClass() throws Exception {
        Map<String, Set<Integer>> policies = policiesAfterAChange("priorities-default", Map.of());

        assertThat(policies.values().stream().flatMap(Set::stream).distinct()).containsExactly(SCHED_OTHER);
    }

    /**
     * Starts Sluice with {@code env}, has it route a service (which starts the registry's writer)
     * and serve it, and returns the scheduling policies of its threads by name, digits made N.
     */
    private Map<String, Set<Integer>> policiesAfterAChange(String label, Map<String, String> env) throws Exception {
        try (Origins origins = new Origins()) {
            SluiceProcess sluice = sluices.start(label, env, stateDir);
            Answer a = sluice.get("/v1/docker-flow-proxy/reconfigure?serviceName=web&servicePath=/web&port="
                    + origins.get("web").port() + "&outboundHostname=127.0.0.1");
            assertThat(a.status()).as("reconfigure: %s", a).isEqualTo(200);
            assertThat(Http.servedBy(sluice.proxyPort(), "/web/1")).isEqualTo("web");
            assertThat(sluice.output()).doesNotContain("warning");
            return policies(sluice.pid());
        }
    }

    private static Map<String, Set<Integer>> policies(long pid) throws IOException {
        Map<String, Set<Integer>> byName = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                String name = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).strip()
                        .replaceAll("[0-9]+", "N");
                byName.computeIfAbsent(name, n -> new TreeSet<>()).add(IdleScheduling.policyOf(task));
            }
        }
        return byName;
    }
}
