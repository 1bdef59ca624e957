package dev.sluice.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.proxy.ProxyServer;
import dev.sluice.proxy.TestBackend;
import dev.sluice.routing.Bind;
import dev.sluice.routing.StateEvents;
import dev.sluice.routing.config.ConfigParser;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@code server?backend=&server=&state=ready|drain|maint} on a real data plane. */
class ServerStateApiTest {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private TestBackend a;
    private TestBackend b;
    private ServiceRegistry registry;
    private ProxyServer proxy;
    private AdminServer admin;

    @BeforeEach
    void setUp() throws Exception {
        a = TestBackend.start("a");
        b = TestBackend.start("b");
        String text = "defaults\n    mode http\n    timeout connect 2s\n    timeout server 10s\n    timeout client 10s\n"
                + "frontend services\n    default_backend pool\n"
                + "backend pool\n    server a 127.0.0.1:" + a.port() + "\n    server b 127.0.0.1:" + b.port() + "\n";
        ProxyConfig base = ConfigParser.parse(text, "pool.cfg", Path.of(".")).config()
                .withBinds("services", List.of(new Bind("127.0.0.1", 0, false)));
        registry = new ServiceRegistry(base, () -> base, ServiceDefaults.DFP, ServiceStore.NONE, List.of(), List.of(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        proxy = ProxyServer.start(registry.table(), 1);
        registry.attach(proxy::update);
        admin = AdminServer.start("127.0.0.1", 0, registry, null);
    }

    @AfterEach
    void tearDown() {
        admin.close();
        registry.close();
        proxy.close();
        a.close();
        b.close();
    }

    private HttpResponse<String> adminCall(String query) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + "/v1/proxy/server?" + query))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> viaProxy(String path) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.ports("services").get(0) + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<String> servedBy(int n) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String body = viaProxy("/").get().body();
            out.add(body.substring("server=".length(), body.indexOf('\n')));
        }
        return out;
    }

    @Test
    void drain_letsTheRequestInFlightFinish_andSendsNoNewOnes_untilReady() throws Exception {
        assertThat(servedBy(4)).containsOnly("a", "b");
        CompletableFuture<HttpResponse<String>> slow = null;
        for (int i = 0; i < 4 && a.inFlight() == 0; i++) {
            CompletableFuture<HttpResponse<String>> f = viaProxy("/slow?ms=1500");
            await().atMost(Duration.ofSeconds(5)).until(() -> a.inFlight() + b.inFlight() > 0);
            if (a.inFlight() > 0) {
                slow = f;
            } else {
                f.get();
            }
        }
        assertThat(slow).as("a slow request reached server a").isNotNull();

        HttpResponse<String> drained = adminCall("backend=pool&server=a&state=drain");
        assertThat(drained.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(drained.body()).getString("Status")).isEqualTo("OK");
        assertThat(new JsonObject(drained.body()).getString("Admin")).isEqualTo("DRAIN");

        assertThat(servedBy(6)).containsOnly("b");
        HttpResponse<String> finished = slow.get();
        assertThat(finished.statusCode()).isEqualTo(200);
        assertThat(finished.body()).startsWith("server=a\nslow=1500");
        assertThat(StateEvents.of("pool", "a")).last()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("set to drain by the admin API"));

        assertThat(adminCall("backend=pool&server=a&state=maint").statusCode()).isEqualTo(200);
        assertThat(servedBy(4)).containsOnly("b");
        assertThat(adminCall("backend=pool&server=a&state=ready").statusCode()).isEqualTo(200);
        assertThat(servedBy(4)).contains("a", "b");
    }

    @Test
    void badCalls_sayWhat_andChangeNothing() throws Exception {
        assertThat(adminCall("backend=pool").statusCode()).isEqualTo(400);
        assertThat(adminCall("backend=nope&server=a").statusCode()).isEqualTo(404);
        assertThat(adminCall("backend=pool&server=zz").statusCode()).isEqualTo(404);
        HttpResponse<String> bad = adminCall("backend=pool&server=a&state=sleepy");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("expected ready, drain or maint");
        JsonObject shown = new JsonObject(adminCall("backend=pool&server=a").body());
        assertThat(shown.getString("Status")).isEqualTo("OK");
        assertThat(shown.getString("State")).isEqualTo("UP");
        assertThat(shown.getString("Admin")).isEqualTo("READY");
    }
}
