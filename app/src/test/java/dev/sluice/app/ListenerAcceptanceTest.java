package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.app.SluiceProcess.Answer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * With LISTENER_ADDRESS, Sluice takes its services from Docker Flow Swarm Listener's
 * {@code get-services} at start and every RELOAD_INTERVAL, and reconciles fully: what the
 * listener stops listing goes (Docker Flow Proxy kept it), what came through the API stays.
 */
class ListenerAcceptanceTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    final SluiceProcesses sluices = new SluiceProcesses();

    @TempDir
    Path stateDir;

    private final AtomicReference<String> listed = new AtomicReference<>("[]");

    private HttpServer listener() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/docker-flow-swarm-listener/get-services", exchange -> {
            byte[] body = listed.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static String service(String name, int port) {
        return "{\"serviceName\":\"" + name + "\",\"servicePath\":\"/" + name + "\",\"port\":\"" + port
                + "\",\"outboundHostname\":\"127.0.0.1\",\"distribute\":\"true\",\"replicas\":\"2\"}";
    }

    @Test
    void theListenersListIsReconciledFully_andReloadFromListenerFetchesNow() throws Exception {
        HttpServer listener = listener();
        try (Origins origins = new Origins()) {
            int a = origins.get("a").port();
            int b = origins.get("b").port();
            int c = origins.get("c").port();
            listed.set("[" + service("a", a) + "," + service("b", b) + "]");
            SluiceProcess sluice = sluices.start("listener", Map.of("LISTENER_ADDRESS",
                    "127.0.0.1:" + listener.getAddress().getPort(), "RELOAD_INTERVAL", "300"), stateDir);

            assertThat(sluice.output()).contains("discovery: listener)");
            assertThat(sluice.get("/v1/docker-flow-proxy/successfulinitreload").status()).isEqualTo(200);
            assertThat(Http.servedBy(sluice.proxyPort(), "/a/x")).isEqualTo("a");
            assertThat(Http.servedBy(sluice.proxyPort(), "/b/x")).isEqualTo("b");
            Answer manual = sluice.get("/v1/docker-flow-proxy/reconfigure?serviceName=manual&servicePath=/manual&port="
                    + origins.get("manual").port() + "&outboundHostname=127.0.0.1");
            assertThat(manual.status()).isEqualTo(200);

            listed.set("[" + service("b", b) + "]");
            await().atMost(WAIT).untilAsserted(() ->
                    assertThat(Http.servedBy(sluice.proxyPort(), "/a/x")).isEqualTo("status 503"));
            assertThat(Http.servedBy(sluice.proxyPort(), "/b/x")).isEqualTo("b");
            assertThat(Http.servedBy(sluice.proxyPort(), "/manual/x")).as("an API service is not the listener's")
                    .isEqualTo("manual");

            listener.stop(0);
            Thread.sleep(1000);
            assertThat(Http.servedBy(sluice.proxyPort(), "/b/x")).as("a listener that is down removes nothing")
                    .isEqualTo("b");
            Answer down = sluice.get("/v1/docker-flow-proxy/reload?fromListener=true");
            assertThat(down.status()).as("%s", down).isEqualTo(503);
            assertThat(down.json().getString("Message")).contains("no Swarm Listener answered");

            SluiceProcess fresh = sluices.start("listener-late", Map.of("LISTENER_ADDRESS",
                    "127.0.0.1:" + SluiceProcess.freePort(), "RELOAD_INTERVAL", "60000"), stateDir.resolve("fresh"));
            assertThat(fresh.get("/v1/docker-flow-proxy/successfulinitreload").status())
                    .as("no fetch succeeded yet").isEqualTo(500);
        } finally {
            listener.stop(0);
        }
    }

    @Test
    void reloadFromListener_appliesTheListNow() throws Exception {
        HttpServer listener = listener();
        try (Origins origins = new Origins()) {
            SluiceProcess sluice = sluices.start("listener-reload", Map.of("LISTENER_ADDRESS",
                    "127.0.0.1:" + listener.getAddress().getPort(), "RELOAD_INTERVAL", "600000"), stateDir);
            listed.set("[" + service("c", origins.get("c").port()) + "]");
            assertThat(Http.servedBy(sluice.proxyPort(), "/c/x")).isEqualTo("status 503");

            Answer reload = sluice.get("/v1/docker-flow-proxy/reload?fromListener=true");

            assertThat(reload.status()).as("%s", reload).isEqualTo(200);
            assertThat(reload.json().getJsonArray("Added").getList()).containsExactly("c");
            assertThat(Http.servedBy(sluice.proxyPort(), "/c/x")).isEqualTo("c");
        } finally {
            listener.stop(0);
        }
    }
}
