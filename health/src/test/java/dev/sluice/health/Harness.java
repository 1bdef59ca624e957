package dev.sluice.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.proxy.ProxyServer;
import dev.sluice.routing.RoutingCompiler;
import dev.sluice.routing.RoutingTable;
import dev.sluice.routing.Server;
import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.ParseResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A routing table from config text, a real ProxyServer serving it, and the health checks of it. */
final class Harness implements AutoCloseable {

    final RoutingTable table;
    final ProxyServer proxy;
    final HealthChecks checks;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    Harness(String config) throws Exception {
        ParseResult r = ConfigParser.parse(config, "test.cfg", null);
        assertThat(r.errors()).as("config errors").isEmpty();
        table = RoutingCompiler.compile(r.config(), null);
        proxy = ProxyServer.start(table, 1);
        checks = HealthChecks.start();
        checks.update(table);
    }

    static String config(String backend) {
        return "defaults\n mode http\n timeout connect 500ms\n timeout client 5s\n timeout server 2s\n"
                + "frontend fe\n bind 127.0.0.1:" + freePort() + "\n default_backend be\n"
                + "backend be\n" + backend;
    }

    private static int freePort() {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    Server server(String name) {
        return table.backend("be").servers().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    /** GET through the proxy: the status and body. */
    HttpResponse<String> get(String path) throws Exception {
        int port = proxy.ports("fe").get(0);
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        checks.close();
        proxy.close();
    }
}
