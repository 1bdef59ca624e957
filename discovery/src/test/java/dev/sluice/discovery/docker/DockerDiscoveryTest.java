package dev.sluice.discovery.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.discovery.FakeDockerEngine;
import dev.sluice.discovery.RecordingSink;
import dev.sluice.discovery.Source;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Docker discovery against a fake engine serving the Docker Engine API's shapes, driven like a Swarm. */
class DockerDiscoveryTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final RecordingSink sink = new RecordingSink();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final AtomicInteger changes = new AtomicInteger();
    private FakeDockerEngine engine;
    private DockerDiscovery discovery;

    private static Map<String, String> labels(String path, String port) {
        return Map.of("com.df.notify", "true", "com.df.servicePath", path, "com.df.port", port);
    }

    private DockerDiscovery start(Duration interval) {
        discovery = new DockerDiscovery(DockerHost.parse(engine.dockerHost()), sink, interval,
                new PrintStream(log, true, StandardCharsets.UTF_8), changes::incrementAndGet).start();
        return discovery;
    }

    private String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    @AfterEach
    void stop() {
        if (discovery != null) {
            discovery.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void overTheUnixSocket_labelledServicesAreRoutedOnceATaskRuns_updatedScaledToZeroAndRemoved() throws Exception {
        engine = FakeDockerEngine.startUnix(dir.resolve("docker.sock"));
        engine.createService("web", labels("/web", "80"), 2);
        engine.createService("unlabelled", Map.of("com.df.servicePath", "/x"), 1);
        start(Duration.ofMinutes(5));

        await().atMost(WAIT).until(() -> "/web".equals(sink.param("web", "servicePath")));
        assertThat(sink.sourceOf("web")).isEqualTo(Source.DOCKER);
        assertThat(sink.param("web", "replicas")).isEqualTo("2");
        assertThat(sink.services()).doesNotContainKey("unlabelled");
        assertThat(engine.requests()).anyMatch(r -> r.startsWith("GET /v1.45/services?filters="));
        await().atMost(WAIT).until(() -> discovery.status().state().equals("following"));
        assertThat(discovery.status().apiVersion()).isEqualTo("1.45");

        engine.tasksStartRunning(false);
        engine.createService("late", labels("/late", "8080"), 1);
        Thread.sleep(1500);
        assertThat(sink.services()).as("no task runs yet").doesNotContainKey("late");
        engine.runTasks("late");
        await().atMost(WAIT).until(() -> sink.services().containsKey("late"));

        engine.updateLabels("web", labels("/web2", "80"));
        await().atMost(WAIT).until(() -> "/web2".equals(sink.param("web", "servicePath")));

        engine.scale("web", 0);
        await().atMost(WAIT).until(() -> !sink.services().containsKey("web"));
        engine.removeService("late");
        await().atMost(WAIT).until(() -> !sink.services().containsKey("late"));
        assertThat(log()).contains("docker discovery: service late removed");
        assertThat(changes.get()).isPositive();
    }

    @Test
    void aMissedEvent_isRepairedByThePeriodicReconcile() throws Exception {
        engine = FakeDockerEngine.startTcp();
        engine.createService("kept", labels("/kept", "80"), 1);
        start(Duration.ofSeconds(1));
        await().atMost(WAIT).until(() -> sink.services().containsKey("kept"));

        engine.pauseEvents(true);
        engine.createService("missed", labels("/missed", "80"), 1);
        engine.removeService("kept");

        await().atMost(WAIT).until(() -> sink.services().containsKey("missed") && !sink.services().containsKey("kept"));
        assertThat(sink.calls()).contains("reconcile docker 1");
    }

    @Test
    void aDroppedEventStream_isFollowedAgain_andAnEventAfterItIsApplied() throws Exception {
        engine = FakeDockerEngine.startTcp();
        start(Duration.ofMinutes(5));
        await().atMost(WAIT).until(() -> engine.openEventStreams() == 1);

        engine.dropEventStreams();
        // a restarting daemon cuts the stream without its last chunk
        await().atMost(WAIT).until(() -> log().contains("the Docker engine closed the connection; retrying in"));
        await().atMost(WAIT).until(() -> engine.openEventStreams() == 1);
        engine.createService("after", labels("/after", "80"), 1);

        await().atMost(WAIT).until(() -> sink.services().containsKey("after"));
    }

    @Test
    void anEngineThatFails_isRetriedWithBackoff_untilItAnswers() throws Exception {
        engine = FakeDockerEngine.startTcp();
        engine.createService("web", labels("/web", "80"), 1);
        engine.failNextRequests(2);
        start(Duration.ofMinutes(5));

        await().atMost(WAIT).until(() -> sink.services().containsKey("web"));
        assertThat(log()).contains("retrying in 1000 ms", "retrying in 2000 ms");
    }

    @Test
    void onAWorkerNode_nothingIsListed_andTheStatusSaysSo() throws Exception {
        engine = FakeDockerEngine.startTcp();
        engine.createService("web", labels("/web", "80"), 1);
        engine.setManager(false);
        start(Duration.ofMinutes(5));

        await().atMost(WAIT).until(() -> discovery.status().state().equals("not-manager"));
        assertThat(discovery.status().manager()).isFalse();
        assertThat(sink.services()).isEmpty();
        assertThat(log()).contains("is not a swarm manager: this replica learns its services from the replicas on manager nodes");
    }

    @Test
    void nothingListens_isAClearError() throws Exception {
        discovery = new DockerDiscovery(DockerHost.parse("unix://" + dir.resolve("missing.sock")), sink,
                Duration.ofMinutes(5), new PrintStream(log, true, StandardCharsets.UTF_8), () -> { }).start();

        await().atMost(WAIT).until(() -> discovery.status().state().equals("failing"));
        assertThat(discovery.status().lastError()).contains("cannot connect to the Docker engine at unix://", "is the socket mounted?");
    }
}
