package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.ErrorPages;
import dev.sluice.routing.HttpLimits;
import dev.sluice.routing.Timeouts;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Each error status comes from a real misbehaving backend or client, and affects only its request. */
class ErrorStatusTest extends DataPlaneTest {

    @Test
    void refusedConnection_is503_afterRetries() throws Exception {
        start(Tables.builder().server(closedPort()).retries(2, false));
        try (RawHttpClient c = new RawHttpClient(port)) {
            RawHttpClient.Response r = c.get("/");
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.bodyText()).contains("503 Service Unavailable");
            // The client connection is still usable.
            assertThat(c.get("/").status()).isEqualTo(503);
        }
    }

    @Test
    void redispatch_sendsTheLastRetryToAnotherServer() throws Exception {
        start(Tables.builder().server(closedPort()).server(backend.port()).retries(1, true));
        try (RawHttpClient c = new RawHttpClient(port)) {
            for (int i = 0; i < 6; i++) {
                RawHttpClient.Response r = c.get("/r");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header("x-server")).isEqualTo("b1");
            }
        }
    }

    @Test
    void resetByServer_is502_andNextRequestWorks() throws Exception {
        start(Tables.builder().server(backend.port()));
        try (RawHttpClient c = new RawHttpClient(port)) {
            assertThat(c.get("/reset").status()).isEqualTo(502);
        }
        try (RawHttpClient c = new RawHttpClient(port)) {
            assertThat(c.get("/fine").status()).isEqualTo(200);
        }
    }

    @Test
    void garbageFromServer_is502() throws Exception {
        start(Tables.builder().server(backend.port()));
        try (RawHttpClient c = new RawHttpClient(port)) {
            assertThat(c.get("/garbage").status()).isEqualTo(502);
        }
    }

    @Test
    void hangingServer_is504_afterTimeoutServer() throws Exception {
        start(Tables.builder().server(backend.port()).timeouts(new Timeouts(1000, 10_000, 300, 5000, 5000, 0, 0, 0)));
        try (RawHttpClient c = new RawHttpClient(port)) {
            long t0 = System.nanoTime();
            assertThat(c.get("/hang").status()).isEqualTo(504);
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(250);
            assertThat(c.get("/ok").status()).isEqualTo(200);
        }
    }

    @Test
    void noServer_is503() throws Exception {
        start(Tables.builder());
        try (RawHttpClient c = new RawHttpClient(port)) {
            assertThat(c.get("/").status()).isEqualTo(503);
        }
    }

    @Test
    void noRoute_is503() throws Exception {
        start(Tables.builder().server(backend.port()).noBackend());
        try (RawHttpClient c = new RawHttpClient(port)) {
            RawHttpClient.Response r = c.get("/");
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.bodyText()).contains("No server is available");
        }
    }

    @Test
    void slowHeaders_are408_afterTimeoutHttpRequest() throws Exception {
        start(Tables.builder().server(backend.port()).timeouts(new Timeouts(1000, 10_000, 10_000, 300, 5000, 0, 0, 0)));
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("GET / HTTP/1.1\r\nHost: slow\r\n");
            RawHttpClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(408);
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void oversizedUri_is414_oversizedHeaders_are431_tooManyHeaders_are431() throws Exception {
        start(Tables.builder().server(backend.port()).limits(new HttpLimits(1024, 4096, 20)));
        try (RawHttpClient c = new RawHttpClient(port)) {
            assertThat(c.get("/" + "a".repeat(2000)).status()).isEqualTo(414);
        }
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + "b".repeat(5000) + "\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(431);
        }
        try (RawHttpClient c = new RawHttpClient(port)) {
            StringBuilder sb = new StringBuilder("GET / HTTP/1.1\r\nHost: h\r\n");
            for (int i = 0; i < 30; i++) {
                sb.append("X-H").append(i).append(": v\r\n");
            }
            c.send(sb.append("\r\n").toString());
            assertThat(c.read().status()).isEqualTo(431);
        }
        try (RawHttpClient c = new RawHttpClient(port)) {
            assertThat(c.get("/fine").status()).isEqualTo(200);
        }
    }

    @Test
    void malformedRequest_is400() throws Exception {
        start(Tables.builder().server(backend.port()));
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: abc\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(400);
        }
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("POST /upload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\nxx\r\n");
            RawHttpClient.Response r = c.read();
            assertThat(r.status()).isIn(400, 502);
        }
    }

    @Test
    void twoHostHeaders_are400() throws Exception {
        start(Tables.builder().server(backend.port()));
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("GET / HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(400);
        }
        assertThat(backend.requests()).isZero();
    }

    @Test
    void errorfile_replacesTheBuiltInPage() throws Exception {
        byte[] page = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nX-Page: custom\r\n\r\nsorry, down\n"
                .getBytes(StandardCharsets.US_ASCII);
        start(Tables.builder().errorPages(new ErrorPages(Map.of(503, page))));
        try (RawHttpClient c = new RawHttpClient(port)) {
            RawHttpClient.Response r = c.get("/");
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.header("x-page")).isEqualTo("custom");
            assertThat(r.bodyText()).isEqualTo("sorry, down\n");
        }
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void errorfile_alsoReplacesThePagesOfMalformedRequests() throws Exception {
        byte[] page = "HTTP/1.1 400 Bad Request\r\nX-Page: custom-400\r\n\r\nbad\n".getBytes(StandardCharsets.US_ASCII);
        start(Tables.builder().server(backend.port()).errorPages(new ErrorPages(Map.of(400, page))));
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("GET abc HTTP/1.1\r\nHost: h\r\n\r\n");
            RawHttpClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.header("x-page")).isEqualTo("custom-400");
        }
    }
}
