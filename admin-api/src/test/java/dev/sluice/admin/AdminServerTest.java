package dev.sluice.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.proxy.ProxyServer;
import dev.sluice.proxy.TestBackend;
import dev.sluice.routing.Bind;
import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.ParseResult;
import dev.sluice.routing.config.ProxyConfig;
import dev.sluice.routing.service.ServiceDefaults;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** The admin API over a real registry and a real data plane, as a script would call it. */
class AdminServerTest {

    private static final String BASE = """
            defaults
                mode http
                timeout connect 2s
                timeout client 10s
                timeout server 10s
            frontend services
            """;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<List<StoredService>> saved = new ArrayList<>();
    private ServiceRegistry registry;
    private ProxyServer proxy;
    private AdminServer admin;
    private TestBackend backend;

    @BeforeEach
    void setUp() throws Exception {
        ParseResult parsed = ConfigParser.parse(BASE, "base.cfg", Path.of("."));
        ProxyConfig base = parsed.config().withBinds("services", List.of(new Bind("127.0.0.1", 0, false)));
        registry = new ServiceRegistry(base, () -> base, ServiceDefaults.DFP, saved::add, List.of(), List.of(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        proxy = ProxyServer.start(registry.table(), 1);
        registry.attach(proxy::update);
        backend = TestBackend.start("alpha");
    }

    @AfterEach
    void tearDown() {
        if (admin != null) {
            admin.close();
        }
        registry.close();
        proxy.close();
        backend.close();
    }

    private HttpResponse<String> call(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> viaProxy(String path) throws Exception {
        int port = proxy.ports("services").get(0);
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void reconfigure_routesThePath_answersOk_andIsSavedBeforeTheAnswer() throws Exception {
        admin = AdminServer.start("127.0.0.1", 0, registry, null);
        assertThat(viaProxy("/alpha/x").statusCode()).isEqualTo(503);
        long generation = registry.table().generation();
        HttpResponse<String> r = call("GET", "/v1/docker-flow-proxy/reconfigure?serviceName=alpha&servicePath=/alpha"
                + "&port=" + backend.port() + "&outboundHostname=127.0.0.1");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonObject body = new JsonObject(r.body());
        assertThat(body.getString("Status")).isEqualTo("OK");
        assertThat(body.getString("ServiceName")).isEqualTo("alpha");
        assertThat(saved).hasSize(1);
        assertThat(saved.get(0).get(0).params()).containsEntry("servicePath", List.of("/alpha"));
        assertThat(viaProxy("/alpha/x").statusCode()).isEqualTo(200);
        assertThat(backend.requests()).isEqualTo(1);
        JsonObject ping = new JsonObject(call("POST", "/v1/proxy/ping").body());
        assertThat(ping.getLong("Generation")).isEqualTo(generation + 1);

        assertThat(call("PUT", "/v1/proxy/remove?serviceName=alpha").statusCode()).isEqualTo(200);
        assertThat(viaProxy("/alpha/x").statusCode()).isEqualTo(503);
        assertThat(saved.get(saved.size() - 1)).isEmpty();
    }

    @Test
    void controlPlaneThreads_runAtTheLowestPriority_theProxyLoopsDoNot() throws Exception {
        admin = AdminServer.start("127.0.0.1", 0, registry, null);
        assertThat(call("GET", "/v1/docker-flow-proxy/reconfigure?serviceName=alpha&servicePath=/alpha"
                + "&port=" + backend.port() + "&outboundHostname=127.0.0.1").statusCode()).isEqualTo(200);
        assertThat(viaProxy("/alpha/x").statusCode()).isEqualTo(200);
        Map<String, Integer> priorities = new java.util.TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            priorities.put(t.getName(), t.getPriority());
        }
        // with the README's three priority flags (ThreadPriorityPolicy=1 ...) these run at nice 5
        assertThat(priorities).containsEntry("sluice-admin-writer", Thread.MIN_PRIORITY);
        assertThat(priorities).hasEntrySatisfying("vert.x-eventloop-thread-0",
                p -> assertThat(p).isEqualTo(Thread.MIN_PRIORITY));
        assertThat(priorities.entrySet()).filteredOn(e -> e.getKey().startsWith("sluice-proxy"))
                .isNotEmpty().allSatisfy(e -> assertThat(e.getValue()).isEqualTo(Thread.NORM_PRIORITY));
    }

    @Test
    void badInput_isRefusedWithDockerFlowProxysCodes_andChangesNothing() throws Exception {
        admin = AdminServer.start("127.0.0.1", 0, registry, null);
        String hash = registry.table().hash();
        assertThat(call("GET", "/v1/proxy/reconfigure?servicePath=/a&port=1").statusCode()).isEqualTo(400);
        assertThat(call("GET", "/v1/proxy/reconfigure?serviceName=a&servicePath=/a").statusCode()).isEqualTo(400);
        assertThat(call("GET", "/v1/proxy/reconfigure?serviceName=a&port=1").statusCode()).isEqualTo(409);
        HttpResponse<String> bad = call("GET", "/v1/proxy/reconfigure?serviceName=a&servicePath=/a&port=abc");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(bad.body()).getString("Message")).contains("port", "abc");
        HttpResponse<String> template = call("GET", "/v1/proxy/reconfigure?serviceName=a&servicePath=/a&port=1"
                + "&templateFePath=/x.tmpl");
        assertThat(template.statusCode()).isEqualTo(400);
        assertThat(template.body()).contains("templateFePath is not supported");
        assertThat(registry.table().hash()).isEqualTo(hash);
        assertThat(saved).isEmpty();
    }

    @Test
    void configJson_showsServicesGenerationAndHash_withoutPasswords() throws Exception {
        admin = AdminServer.start("127.0.0.1", 0, registry, null);
        assertThat(call("GET", "/v1/proxy/reconfigure?serviceName=alpha&servicePath=/alpha&port=" + backend.port()
                + "&outboundHostname=127.0.0.1&users=alice:wonderland").statusCode()).isEqualTo(200);
        HttpResponse<String> json = call("GET", "/v1/docker-flow-proxy/config?type=json");
        JsonObject body = new JsonObject(json.body());
        assertThat(body.getLong("Generation")).isEqualTo(registry.table().generation());
        assertThat(body.getString("Hash")).isEqualTo(registry.table().hash());
        assertThat(body.getJsonObject("Services").getJsonObject("alpha").getString("AclName")).isEqualTo("alpha");
        assertThat(json.body()).doesNotContain("wonderland");
        HttpResponse<String> text = call("GET", "/v1/docker-flow-proxy/config");
        assertThat(text.body()).contains("backend alpha-be" + backend.port() + "_0").doesNotContain("wonderland");
        assertThat(viaProxy("/alpha").statusCode()).isEqualTo(401);
    }

    @Test
    void aServiceThatCannotBeReached_failsAlone_andConfigJsonSaysWhy() throws Exception {
        admin = AdminServer.start("127.0.0.1", 0, registry, null);
        call("GET", "/v1/proxy/reconfigure?serviceName=alpha&servicePath=/alpha&port=" + backend.port()
                + "&outboundHostname=127.0.0.1");
        call("GET", "/v1/proxy/reconfigure?serviceName=ghost&servicePath=/ghost&port=80"
                + "&outboundHostname=no-such-host.invalid");
        assertThat(viaProxy("/ghost").statusCode()).isEqualTo(503);
        assertThat(viaProxy("/alpha").statusCode()).isEqualTo(200);
        JsonObject ghost = new JsonObject(call("GET", "/v1/proxy/config?type=json").body())
                .getJsonObject("Services").getJsonObject("ghost");
        assertThat(ghost.getJsonArray("Backends").getJsonObject(0).getJsonArray("Servers").getJsonObject(0)
                .getString("LastError")).contains("no-such-host.invalid");
    }

    @Test
    void tcpService_opensItsPortAtRuntime_andRemoveClosesIt() throws Exception {
        admin = AdminServer.start("127.0.0.1", 0, registry, null);
        int srcPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            srcPort = probe.getLocalPort();
        }
        HttpResponse<String> r = call("GET", "/v1/proxy/reconfigure?serviceName=raw&reqMode=tcp&srcPort=" + srcPort
                + "&port=" + backend.port() + "&outboundHostname=127.0.0.1");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        HttpResponse<String> through = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + srcPort + "/anything")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(through.statusCode()).isEqualTo(200);
        assertThat(through.body()).contains("server=alpha");
        assertThat(call("GET", "/v1/proxy/remove?serviceName=raw").statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", srcPort).close())
                .isInstanceOf(java.net.ConnectException.class);
    }

    @Test
    void adminCredentials_whenSet_areRequired() throws Exception {
        admin = AdminServer.start("127.0.0.1", 0, registry, new AdminAuth("admin", "secret"));
        assertThat(call("GET", "/v1/proxy/config").statusCode()).isEqualTo(401);
        String wrong = "Basic " + Base64.getEncoder().encodeToString("admin:nope".getBytes(StandardCharsets.UTF_8));
        assertThat(call("GET", "/v1/proxy/config", "Authorization", wrong).statusCode()).isEqualTo(401);
        String right = "Basic " + Base64.getEncoder().encodeToString("admin:secret".getBytes(StandardCharsets.UTF_8));
        assertThat(call("GET", "/v1/proxy/config", "Authorization", right).statusCode()).isEqualTo(200);
        // the container health check calls ping without credentials
        assertThat(call("GET", "/v1/docker-flow-proxy/ping").statusCode()).isEqualTo(200);
    }

    @Test
    void aTakenPort_isReportedWithThePortAndWhatToDo() throws Exception {
        admin = AdminServer.start("127.0.0.1", 0, registry, null);
        assertThatThrownBy(() -> AdminServer.start("127.0.0.1", admin.port(), registry, null))
                .isInstanceOf(AdminBindException.class)
                .hasMessageContaining("127.0.0.1:" + admin.port())
                .hasMessageContaining("ADMIN_PORT");
    }
}
