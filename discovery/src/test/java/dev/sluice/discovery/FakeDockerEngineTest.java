package dev.sluice.discovery;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FakeDockerEngineTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> NOTIFY = Map.of("com.df.notify", "true", "com.df.servicePath", "/web");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private FakeDockerEngine tcp;
    private FakeDockerEngine unix;
    private Path socket;

    @BeforeEach
    void start(@TempDir Path dir) {
        tcp = FakeDockerEngine.startTcp();
        socket = dir.resolve("docker.sock");
        unix = FakeDockerEngine.startUnix(socket);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        tcp.close();
        unix.close();
    }

    @Test
    void versionNegotiation_pingTellsTheApiVersion_andOutOfRangeVersionsAreRefused() throws Exception {
        assertThat(tcp.dockerHost()).matches("tcp://127\\.0\\.0\\.1:\\d+");
        HttpResponse<String> ping = get("/_ping");
        assertThat(ping.statusCode()).isEqualTo(200);
        assertThat(ping.body()).isEqualTo("OK");
        assertThat(ping.headers().firstValue("Api-Version")).hasValue("1.45");
        assertThat(ping.headers().firstValue("Swarm")).hasValue("active/manager");
        assertThat(ping.headers().firstValue("Ostype")).hasValue("linux");
        assertThat(ping.headers().firstValue("Docker-Experimental")).hasValue("false");

        JsonNode version = json(get("/v1.41/version"));
        assertThat(version.path("ApiVersion").asText()).isEqualTo("1.45");
        assertThat(version.path("MinAPIVersion").asText()).isEqualTo("1.24");
        assertThat(version.path("Version").asText()).isEqualTo("26.1.4");

        HttpResponse<String> tooNew = get("/v1.99/version");
        assertThat(tooNew.statusCode()).isEqualTo(400);
        assertThat(json(tooNew).path("message").asText())
                .isEqualTo("client version 1.99 is too new. Maximum supported API version is 1.45");
        HttpResponse<String> tooOld = get("/v1.12/services");
        assertThat(tooOld.statusCode()).isEqualTo(400);
        assertThat(json(tooOld).path("message").asText()).startsWith("client version 1.12 is too old.");

        JsonNode swarm = json(get("/v1.45/info")).path("Swarm");
        assertThat(swarm.path("NodeID").asText()).isEqualTo(tcp.nodeId());
        assertThat(swarm.path("LocalNodeState").asText()).isEqualTo("active");
        assertThat(swarm.path("ControlAvailable").asBoolean()).isTrue();

        HttpResponse<String> unknown = get("/v1.45/containers/json");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).path("message").asText()).isEqualTo("page not found");
        assertThat(tcp.requests()).containsExactly("GET /_ping", "GET /v1.41/version", "GET /v1.99/version",
                "GET /v1.12/services", "GET /v1.45/info", "GET /v1.45/containers/json");
    }

    @Test
    void services_labelFilterTakesAKeyOrAKeyAndValue_andNamesArePrefixes() throws Exception {
        String web = tcp.createService("web", NOTIFY, 2);
        tcp.createService("admin", Map.of("com.df.notify", "false"), 1);
        tcp.createService("db", Map.of(), 1);

        assertThat(names(json(get("/v1.45/services?filters=" + enc("{\"label\":[\"com.df.notify\"]}")))))
                .containsExactlyInAnyOrder("web", "admin");
        assertThat(names(json(get("/v1.45/services?filters=" + enc("{\"label\":{\"com.df.notify=true\":true}}")))))
                .containsExactly("web");
        assertThat(names(json(get("/v1.45/services?filters=" + enc("{\"name\":[\"we\"]}"))))).containsExactly("web");
        assertThat(tcp.requests()).contains("GET /v1.45/services?filters={\"label\":[\"com.df.notify\"]}");

        JsonNode service = json(get("/v1.45/services?status=true&filters=" + enc("{\"id\":[\"" + web + "\"]}"))).get(0);
        assertThat(service.path("ID").asText()).isEqualTo(web).hasSize(25);
        assertThat(service.path("Version").path("Index").asLong()).isPositive();
        assertThat(service.path("Spec").path("Labels").path("com.df.servicePath").asText()).isEqualTo("/web");
        assertThat(service.path("Spec").path("Mode").path("Replicated").path("Replicas").asInt()).isEqualTo(2);
        assertThat(service.path("Spec").path("EndpointSpec").path("Mode").asText()).isEqualTo("vip");
        assertThat(service.path("Endpoint").path("VirtualIPs").get(0).path("Addr").asText())
                .isEqualTo(tcp.virtualIp("web") + "/24");
        assertThat(service.path("ServiceStatus").path("RunningTasks").asInt()).isEqualTo(2);
        assertThat(service.path("ServiceStatus").path("DesiredTasks").asInt()).isEqualTo(2);

        assertThat(json(get("/services/web")).path("ID").asText()).isEqualTo(web);
        HttpResponse<String> missing = get("/v1.45/services/nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).path("message").asText()).isEqualTo("service nope not found");
        HttpResponse<String> badFilter = get("/v1.45/services?filters=" + enc("{\"colour\":[\"red\"]}"));
        assertThat(badFilter.statusCode()).isEqualTo(400);
        assertThat(json(badFilter).path("message").asText()).isEqualTo("invalid filter 'colour'");
    }

    @Test
    void tasks_followScaling_overAUnixSocket() throws Exception {
        assertThat(unix.dockerHost()).isEqualTo("unix://" + socket.toAbsolutePath());
        String id = unix.createService("web", NOTIFY, 3);
        try (RawHttpConnection c = RawHttpConnection.unix(socket)) {
            JsonNode running = runningTasks(c, "web");
            assertThat(running).hasSize(3);
            assertThat(running).allSatisfy(t -> {
                assertThat(t.path("ServiceID").asText()).isEqualTo(id);
                assertThat(t.path("Status").path("State").asText()).isEqualTo("running");
                assertThat(t.path("NetworksAttachments").get(0).path("Network").path("Spec").path("Name").asText())
                        .isEqualTo("proxy");
                assertThat(t.path("NetworksAttachments").get(0).path("Addresses").get(0).asText()).matches("10\\.0\\.1\\.\\d+/24");
            });
            assertThat(slots(running)).containsExactlyInAnyOrder(1, 2, 3);

            unix.scale("web", 1);
            assertThat(slots(runningTasks(c, "web"))).containsExactly(1);
            JsonNode all = JSON.readTree(c.get("/v1.45/tasks?filters=" + enc("{\"service\":{\"" + id + "\":true}}")).body());
            assertThat(all).hasSize(3);
            assertThat(all).filteredOn(t -> t.path("DesiredState").asText().equals("remove"))
                    .hasSize(2).allSatisfy(t -> assertThat(t.path("Status").path("State").asText()).isEqualTo("shutdown"));

            unix.scale("web", 0);
            assertThat(runningTasks(c, "web")).isEmpty();
            unix.scale("web", 2);
            assertThat(slots(runningTasks(c, "web"))).containsExactlyInAnyOrder(1, 2);
        }
    }

    @Test
    void tasks_waitUntilRun_failedTasksAreReplaced_andGlobalTasksRunOneANode() throws Exception {
        tcp.tasksStartRunning(false);
        tcp.createService("slow", Map.of(), 2);
        JsonNode starting = json(get("/tasks?filters=" + enc("{\"service\":[\"slow\"],\"desired-state\":[\"running\"]}")));
        assertThat(starting).hasSize(2).allSatisfy(t -> assertThat(t.path("Status").path("State").asText()).isEqualTo("starting"));
        assertThat(tcp.runningTaskAddresses("slow")).isEmpty();

        tcp.runTasks("slow");
        assertThat(tcp.runningTaskAddresses("slow")).hasSize(2);
        tcp.failTasks("slow");
        assertThat(tcp.runningTaskAddresses("slow")).isEmpty();
        JsonNode all = json(get("/tasks?filters=" + enc("{\"service\":[\"slow\"]}")));
        assertThat(all).filteredOn(t -> t.path("Status").path("State").asText().equals("failed")).hasSize(2)
                .allSatisfy(t -> assertThat(t.path("Status").path("Err").asText()).isEqualTo("task: non-zero exit (1)"));
        tcp.runTasks("slow");
        assertThat(tcp.runningTaskAddresses("slow")).hasSize(2);

        tcp.tasksStartRunning(true);
        tcp.createGlobalService("agent", Map.of(), 3);
        JsonNode global = json(get("/tasks?filters=" + enc("{\"service\":[\"agent\"]}")));
        assertThat(global).hasSize(3).allSatisfy(t -> assertThat(t.has("Slot")).isFalse());
        assertThat(global.findValuesAsText("NodeID")).doesNotHaveDuplicates().contains(tcp.nodeId());
        assertThat(json(get("/services/agent")).path("Spec").path("Mode").has("Global")).isTrue();
    }

    @Test
    void events_createUpdateRemove_inOrder_oneJsonLinePerChunk_overAUnixSocket() throws Exception {
        RawHttpConnection c = open(RawHttpConnection.unix(socket));
        RawHttpConnection.Response head = c.openStream("/v1.45/events?filters=" + enc("{\"type\":[\"service\"]}"));
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(head.header("Content-Type")).isEqualTo("application/json");
        BlockingQueue<RawHttpConnection.Chunk> chunks = c.chunks();
        await().until(() -> unix.openEventStreams() == 1);

        String id = unix.createService("web", NOTIFY, 2);
        unix.updateLabels("web", Map.of("com.df.notify", "true"));
        unix.scale("web", 4);
        unix.removeService("web");

        List<JsonNode> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RawHttpConnection.Chunk chunk = RawHttpConnection.poll(chunks, 2000);
            assertThat(chunk).as("event %d", i).isNotNull();
            assertThat(chunk.data()).endsWith("}\n").doesNotContain("\n{");
            events.add(JSON.readTree(chunk.data()));
        }
        assertThat(events).extracting(e -> e.path("Action").asText())
                .containsExactly("create", "update", "update", "update", "remove");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.path("Type").asText()).isEqualTo("service");
            assertThat(e.path("Actor").path("ID").asText()).isEqualTo(id);
            assertThat(e.path("Actor").path("Attributes").path("name").asText()).isEqualTo("web");
            assertThat(e.path("scope").asText()).isEqualTo("swarm");
            assertThat(e.path("timeNano").asLong() / 1_000_000_000L).isEqualTo(e.path("time").asLong());
            assertThat(e.has("status")).isFalse();
        });
        assertThat(events.get(2).path("Actor").path("Attributes").size()).isEqualTo(1);
        assertThat(events.get(3).path("Actor").path("Attributes").path("replicas.old").asText()).isEqualTo("2");
        assertThat(events.get(3).path("Actor").path("Attributes").path("replicas.new").asText()).isEqualTo("4");
        assertThat(RawHttpConnection.poll(chunks, 100)).isNull();
    }

    @Test
    void events_sinceReplaysTheLog_thenStreamsLive_overTcp() throws Exception {
        long since = Instant.now().getEpochSecond();
        tcp.createService("early", Map.of(), 1);
        HttpResponse<Stream<String>> response = http.send(request("/v1.45/events?since=" + since), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        BlockingQueue<String> lines = lines(response.body());

        assertThat(nextEvent(lines)).isEqualTo("create early");
        assertThat(nextEvent(lines)).isEqualTo("update early");
        tcp.createService("late", Map.of(), 1);
        assertThat(nextEvent(lines)).isEqualTo("create late");
    }

    @Test
    void pauseEvents_losesTheEventsOfThePause() throws Exception {
        long since = Instant.now().getEpochSecond();
        BlockingQueue<String> lines = lines(http.send(request("/events"), HttpResponse.BodyHandlers.ofLines()).body());
        await().until(() -> tcp.openEventStreams() == 1);
        tcp.pauseEvents(true);
        tcp.createService("lost", Map.of(), 1);
        tcp.pauseEvents(false);
        tcp.createService("seen", Map.of(), 1);
        assertThat(nextEvent(lines)).isEqualTo("create seen");

        BlockingQueue<String> replay = lines(http.send(request("/events?since=" + since), HttpResponse.BodyHandlers.ofLines()).body());
        assertThat(nextEvent(replay)).isEqualTo("create seen");
    }

    @Test
    void dropEventStreams_cutsTheStream_andAClientLeavingClosesItsStream() throws Exception {
        RawHttpConnection c = open(RawHttpConnection.unix(socket));
        c.openStream("/events");
        BlockingQueue<RawHttpConnection.Chunk> chunks = c.chunks();
        await().until(() -> unix.openEventStreams() == 1);
        unix.dropEventStreams();
        RawHttpConnection.Chunk end = RawHttpConnection.poll(chunks, 2000);
        assertThat(end).isNotNull();
        assertThat(end.end()).isTrue();
        assertThat(unix.openEventStreams()).isZero();

        RawHttpConnection other = RawHttpConnection.unix(socket);
        other.openStream("/events");
        await().until(() -> unix.openEventStreams() == 1);
        other.close();
        await().until(() -> unix.openEventStreams() == 0);
    }

    @Test
    void workerMode_refusesClusterReads_andStreamsNoServiceEvent() throws Exception {
        tcp.createService("web", NOTIFY, 1);
        BlockingQueue<String> lines = lines(http.send(request("/events"), HttpResponse.BodyHandlers.ofLines()).body());
        await().until(() -> tcp.openEventStreams() == 1);
        tcp.setManager(false);

        for (String path : List.of("/v1.45/services", "/v1.45/tasks", "/v1.45/services/web")) {
            HttpResponse<String> refused = get(path);
            assertThat(refused.statusCode()).as(path).isEqualTo(503);
            assertThat(json(refused).path("message").asText()).as(path).isEqualTo(FakeDockerApi.NOT_MANAGER);
        }
        assertThat(get("/_ping").headers().firstValue("Swarm")).hasValue("active/worker");
        assertThat(json(get("/info")).path("Swarm").path("ControlAvailable").asBoolean()).isFalse();
        tcp.createService("unseen", Map.of(), 1);

        tcp.setManager(true);
        tcp.createService("seen", Map.of(), 1);
        assertThat(nextEvent(lines)).isEqualTo("create seen");
    }

    @Test
    void failNextRequests_answers500_thenRecovers() throws Exception {
        tcp.failNextRequests(2);
        assertThat(get("/_ping").statusCode()).isEqualTo(500);
        assertThat(get("/v1.45/services").statusCode()).isEqualTo(500);
        assertThat(get("/v1.45/services").statusCode()).isEqualTo(200);
        assertThat(tcp.requests()).hasSize(3);
    }

    @Test
    void close_deletesTheSocketFile_andRefusesConnections() throws Exception {
        assertThat(Files.exists(socket)).isTrue();
        RawHttpConnection c = open(RawHttpConnection.unix(socket));
        c.openStream("/events");
        await().until(() -> unix.openEventStreams() == 1);
        unix.close();
        assertThat(Files.exists(socket)).isFalse();
        assertThat(unix.openEventStreams()).isZero();
        assertThatThrownBy(() -> SocketChannel.open(UnixDomainSocketAddress.of(socket)).close())
                .isInstanceOf(IOException.class);
        tcp.close();
        assertThatThrownBy(() -> get("/_ping")).isInstanceOf(ConnectException.class);
    }

    private JsonNode runningTasks(RawHttpConnection c, String service) throws IOException {
        RawHttpConnection.Response r = c.get("/v1.45/tasks?filters="
                + enc("{\"service\":{\"" + service + "\":true},\"desired-state\":{\"running\":true}}"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static List<Integer> slots(JsonNode tasks) {
        List<Integer> slots = new ArrayList<>();
        tasks.forEach(t -> slots.add(t.path("Slot").asInt()));
        return slots;
    }

    private static List<String> names(JsonNode services) {
        List<String> names = new ArrayList<>();
        services.forEach(s -> names.add(s.path("Spec").path("Name").asText()));
        return names;
    }

    /** "ACTION NAME" of the next event line, within 2 seconds. */
    private static String nextEvent(BlockingQueue<String> lines) throws Exception {
        String line = lines.poll(2, TimeUnit.SECONDS);
        assertThat(line).as("an event within 2 s").isNotNull();
        JsonNode e = JSON.readTree(line);
        return e.path("Action").asText() + " " + e.path("Actor").path("Attributes").path("name").asText();
    }

    private BlockingQueue<String> lines(Stream<String> body) {
        toClose.add(body::close);
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        Iterator<String> it = body.iterator();
        Thread reader = new Thread(() -> {
            try {
                it.forEachRemaining(queue::add);
            } catch (RuntimeException ended) {
                // the stream was cut
            }
        }, "event-lines");
        reader.setDaemon(true);
        reader.start();
        return queue;
    }

    private RawHttpConnection open(RawHttpConnection c) {
        toClose.add(c);
        return c;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://" + tcp.dockerHost().substring("tcp://".length()) + path)).build();
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        return JSON.readTree(r.body());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, UTF_8);
    }
}
