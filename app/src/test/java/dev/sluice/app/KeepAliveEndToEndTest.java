package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.proxy.RawHttpClient;
import dev.sluice.proxy.TestBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/** Origin connections are reused across requests, or not, as the connection mode says. */
class KeepAliveEndToEndTest {

    private Origins origins;
    private RunningProxy proxy;

    @BeforeEach
    void startOrigins() {
        origins = new Origins();
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        origins.close();
    }

    /** Sends {@code total} GETs round-robin over {@code connections} keep-alive client connections. */
    private static void sendOverKeepAlive(int port, int connections, int total) throws Exception {
        List<RawHttpClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < connections; i++) {
                clients.add(new RawHttpClient(port, Http.TIMEOUT_MS));
            }
            for (int i = 0; i < total; i++) {
                RawHttpClient.Response r = clients.get(i % connections).get("/ka/" + i);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bodyText()).contains("uri=/ka/" + i);
            }
        } finally {
            for (RawHttpClient c : clients) {
                c.close();
            }
        }
    }

    @Test
    void keepAlive_reusesOriginConnections() throws Exception {
        proxy = RunningProxy.start(origins, """
                frontend fe
                    option http-keep-alive
                    default_backend app
                backend app
                    server s1 {{ka}}
                """);
        TestBackend origin = origins.get("ka");

        sendOverKeepAlive(proxy.port("fe"), 4, 200);

        assertThat(origin.requests()).isEqualTo(200);
        assertThat(origin.connections()).isBetween(1, 4);
    }

    @Test
    void serverClose_opensOneOriginConnectionPerRequest() throws Exception {
        proxy = RunningProxy.start(origins, """
                frontend fe
                    default_backend app
                backend app
                    option http-server-close
                    server s1 {{close}}
                """);
        TestBackend origin = origins.get("close");

        sendOverKeepAlive(proxy.port("fe"), 2, 20);

        assertThat(origin.requests()).isEqualTo(20);
        assertThat(origin.connections()).isEqualTo(20);
    }

    @Test
    void keepAliveConnection_carriesBodiesHeadAndHttp10InSequence() throws Exception {
        proxy = RunningProxy.start(origins, """
                frontend fe
                    default_backend app
                backend app
                    server s1 {{seq}}
                """);
        int port = proxy.port("fe");

        try (RawHttpClient c = new RawHttpClient(port, Http.TIMEOUT_MS)) {
            c.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
            assertThat(c.read().bodyText()).isEqualTo("received=5");
            c.send("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
            assertThat(c.read().bodyText()).isEqualTo("received=3");
            c.send("HEAD /head HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.read(true).status()).isEqualTo(200);
            assertThat(c.get("/after").bodyText()).contains("uri=/after");
        }
        try (RawHttpClient c = new RawHttpClient(port, Http.TIMEOUT_MS)) {
            c.send("GET /ten HTTP/1.0\r\n\r\n");
            assertThat(c.read().bodyText()).contains("uri=/ten");
            assertThat(c.isClosedByServer()).as("HTTP/1.0 without keep-alive is closed").isTrue();
        }
    }

    @Test
    void pipelinedRequestsToDifferentBackends_areAnsweredInOrder() throws Exception {
        proxy = RunningProxy.start(origins, """
                frontend fe
                    use_backend slow if { path_beg /slow }
                    default_backend fast
                backend slow
                    server s1 {{pipe-slow}}
                backend fast
                    server s1 {{pipe-fast}}
                """);

        try (RawHttpClient c = new RawHttpClient(proxy.port("fe"), Http.TIMEOUT_MS)) {
            c.send("GET /slow?ms=300 HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.read().header("x-server")).isEqualTo("pipe-slow");
            assertThat(c.read().header("x-server")).isEqualTo("pipe-fast");
        }
    }
}
