package dev.sluice.health;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small real HTTP origin on a port that survives a restart: {@code /check} answers
 * {@link #checkStatus} with {@link #checkBody}; any other path 200 with {@link #status} and the
 * origin's name. Counts the requests that are not checks.
 */
final class Origin implements AutoCloseable {

    static {
        // headers and body are written separately: without TCP_NODELAY each answer waits ~40 ms
        // for a delayed ACK (read once, when the JDK's server configuration loads)
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    final String name;
    volatile int checkStatus = 200;
    volatile String checkBody = "OK";
    volatile int status = 200;
    final AtomicInteger requests = new AtomicInteger();
    private int port;
    private HttpServer server;

    private Origin(String name) {
        this.name = name;
    }

    static Origin start(String name) {
        Origin o = new Origin(name);
        o.bind(0);
        return o;
    }

    int port() {
        return port;
    }

    /** Binds again on the same port after {@link #stop}. */
    void restart() {
        bind(port);
    }

    void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    private void bind(int p) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", p), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        port = server.getAddress().getPort();
        server.createContext("/", ex -> {
            boolean check = ex.getRequestURI().getPath().equals("/check");
            if (!check) {
                requests.incrementAndGet();
            }
            ex.getRequestBody().readAllBytes();
            byte[] body = (check ? checkBody : "server=" + name).getBytes(StandardCharsets.UTF_8);
            int code = check ? checkStatus : status;
            if (ex.getRequestMethod().equals("HEAD")) {
                ex.sendResponseHeaders(code, -1);
            } else {
                ex.sendResponseHeaders(code, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
            ex.close();
        });
        server.start();
    }

    @Override
    public void close() {
        stop();
    }
}
