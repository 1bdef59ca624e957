package dev.sluice.app;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One small HTTP server per {@code server} line of an example, each on an ephemeral port.
 * A server answers 200 with {@code X-Server: backend/server} and a body that echoes what
 * arrived: method, request target and the request headers (names lower case, sorted,
 * repeated lines joined with ", "), so a rewrite shows up as a different body. It also sends
 * the response headers an application typically sends, for the response rules to work on.
 */
final class EchoBackends implements AutoCloseable {

    /** Headers about the connection, not the request: they legitimately differ between proxies. */
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding",
            "upgrade", "content-length");

    private final ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "echo-backend");
        thread.setDaemon(true);
        return thread;
    });
    private final List<HttpServer> servers = new ArrayList<>();
    private final Map<String, Integer> ports = new HashMap<>();

    EchoBackends(List<ExampleConfig.ServerRef> refs) throws IOException {
        try {
            for (ExampleConfig.ServerRef ref : refs) {
                InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
                HttpServer server;
                if (ref.ssl()) {
                    com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(any, 50);
                    https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls()));
                    server = https;
                } else {
                    server = HttpServer.create(any, 50);
                }
                server.createContext("/", exchange -> answer(ref, exchange));
                server.setExecutor(executor);
                server.start();
                servers.add(server);
                ports.put(ref.id(), server.getAddress().getPort());
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private javax.net.ssl.SSLContext tls;

    /** One self-signed certificate for every echo server of an {@code ssl} server line (made on first use). */
    private javax.net.ssl.SSLContext tls() throws IOException {
        if (tls == null) {
            try {
                dev.sluice.proxy.TestPki.Issued cert = dev.sluice.proxy.TestPki.issue(null, "echo.test");
                java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
                store.load(null, null);
                char[] password = "echo".toCharArray();
                store.setKeyEntry("echo", cert.keys().getPrivate(), password,
                        new java.security.cert.Certificate[] {cert.certificate()});
                javax.net.ssl.KeyManagerFactory keys = javax.net.ssl.KeyManagerFactory.getInstance(
                        javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, password);
                tls = javax.net.ssl.SSLContext.getInstance("TLS");
                tls.init(keys.getKeyManagers(), null, null);
            } catch (java.security.GeneralSecurityException e) {
                throw new IOException(e);
            }
        }
        return tls;
    }

    /** The port of each {@code backend/server}. */
    Map<String, Integer> ports() {
        return Map.copyOf(ports);
    }

    private static void answer(ExampleConfig.ServerRef ref, HttpExchange exchange) throws IOException {
        try (exchange) {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            byte[] body = echo(exchange).getBytes(StandardCharsets.UTF_8);
            Headers headers = exchange.getResponseHeaders();
            headers.set("Content-Type", "text/plain; charset=utf-8");
            headers.set("X-Server", ref.id());
            headers.set("X-Powered-By", "echo-backend");
            headers.set("X-Frame-Options", "SAMEORIGIN");
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(200, head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    private static String echo(HttpExchange exchange) {
        StringBuilder echo = new StringBuilder();
        echo.append("method=").append(exchange.getRequestMethod()).append('\n');
        echo.append("target=").append(exchange.getRequestURI().toString()).append('\n');
        Map<String, String> sorted = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(lower)) {
                sorted.merge(lower, String.join(", ", values), (a, b) -> a + ", " + b);
            }
        });
        sorted.forEach((name, value) -> echo.append("header.").append(name).append('=').append(value).append('\n'));
        return echo.toString();
    }

    @Override
    public void close() {
        for (HttpServer server : servers) {
            server.stop(0);
        }
        executor.shutdownNow();
    }
}
