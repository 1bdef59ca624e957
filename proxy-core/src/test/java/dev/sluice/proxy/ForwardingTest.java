package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.ConnectionMode;
import dev.sluice.routing.ForwardFor;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

class ForwardingTest extends DataPlaneTest {

    private void startProxy(Tables.Builder b) throws Exception {
        start(b.server(backend.port()));
    }

    @Test
    void get_isForwardedWithHostKeptAndForwardedHeadersAdded() throws Exception {
        startProxy(Tables.builder());
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/a/b?x=1"))
                .header("X-Custom", "kept").timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Server")).hasValue("b1");
        assertThat(r.body()).contains("uri=/a/b?x=1", "host: 127.0.0.1:" + port, "x-custom: kept",
                "x-forwarded-for: 127.0.0.1", "x-forwarded-proto: http", "x-forwarded-port: " + port);
    }

    @Test
    void forwardFor_exceptNetwork_addsNoHeader() throws Exception {
        startProxy(Tables.builder().forwardFor(new ForwardFor("X-Client-IP",
                a -> a.getHostAddress().startsWith("127."))));
        try (RawHttpClient c = new RawHttpClient(port)) {
            RawHttpClient.Response r = c.get("/");
            assertThat(r.bodyText()).doesNotContain("x-client-ip").doesNotContain("x-forwarded-for");
        }
    }

    @Test
    void hopByHopHeaders_areRemoved_inBothDirections() throws Exception {
        startProxy(Tables.builder());
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, X-Secret\r\nX-Secret: 1\r\n"
                    + "Keep-Alive: timeout=5\r\nTE: trailers\r\nProxy-Connection: keep-alive\r\nUpgrade: foo\r\n\r\n");
            RawHttpClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).doesNotContain("x-secret").doesNotContain("keep-alive: ")
                    .doesNotContain("te: ").doesNotContain("proxy-connection").doesNotContain("upgrade: ");
            assertThat(r.header("keep-alive")).isNull();
        }
    }

    @Test
    void keepAlive_reusesBackendConnections() throws Exception {
        startProxy(Tables.builder());
        for (int conn = 0; conn < 5; conn++) {
            try (RawHttpClient c = new RawHttpClient(port)) {
                for (int i = 0; i < 20; i++) {
                    assertThat(c.get("/r" + i).status()).isEqualTo(200);
                }
            }
        }
        assertThat(backend.requests()).isEqualTo(100);
        // One client connection at a time, so the pooled connections of two event loops suffice.
        assertThat(backend.connections()).isLessThanOrEqualTo(2);
    }

    @Test
    void pipelinedRequests_areAnsweredInOrder() throws Exception {
        startProxy(Tables.builder());
        try (RawHttpClient c = new RawHttpClient(port)) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                sb.append("GET /p").append(i).append(i % 3 == 0 ? "?slow" : "").append(" HTTP/1.1\r\nHost: h\r\n\r\n");
            }
            c.send(sb.toString());
            for (int i = 0; i < 10; i++) {
                RawHttpClient.Response r = c.read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bodyText()).contains("uri=/p" + i);
            }
        }
    }

    @Test
    void pipelinedRequestsWithBodies_areEachForwardedWhole() throws Exception {
        startProxy(Tables.builder());
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("GET /first HTTP/1.1\r\nHost: h\r\n\r\n"
                    + "POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
                    + "POST /upload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                    + "GET /last HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(c.read().bodyText()).contains("uri=/first");
            assertThat(c.read().bodyText()).isEqualTo("received=5");
            assertThat(c.read().bodyText()).isEqualTo("received=3");
            assertThat(c.read().bodyText()).contains("uri=/last");
        }
    }

    @Test
    void http10Client_getsAnswerAndConnectionClosed() throws Exception {
        startProxy(Tables.builder());
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("GET /old HTTP/1.0\r\n\r\n");
            RawHttpClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).contains("uri=/old");
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void http10Client_withKeepAlive_staysOpen_andChunkedBodyBecomesCloseDelimited() throws Exception {
        startProxy(Tables.builder());
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("GET /one HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            RawHttpClient.Response r = c.read();
            assertThat(r.header("connection")).isEqualToIgnoringCase("keep-alive");
            assertThat(r.bodyText()).contains("uri=/one");
            c.send("GET /bytes?n=1000 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            RawHttpClient.Response streamed = c.read();
            assertThat(streamed.header("transfer-encoding")).isNull();
            assertThat(streamed.body()).hasSize(1000);
        }
    }

    @Test
    void closeDelimitedOriginBody_isChunkedForHttp11Clients() throws Exception {
        startProxy(Tables.builder());
        try (RawHttpClient c = new RawHttpClient(port)) {
            RawHttpClient.Response r = c.get("/eof");
            assertThat(r.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(r.bodyText()).isEqualTo("close-delimited body");
            assertThat(c.get("/after").bodyText()).contains("uri=/after");
        }
    }

    @Test
    void expect100Continue_isRelayed() throws Exception {
        startProxy(Tables.builder());
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            RawHttpClient.Response interim = c.read();
            assertThat(interim.status()).isEqualTo(100);
            c.send("hello");
            RawHttpClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("received=5");
        }
    }

    @Test
    void headRequest_getsHeadersOnly_andConnectionStaysUsable() throws Exception {
        startProxy(Tables.builder());
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("HEAD /h HTTP/1.1\r\nHost: h\r\n\r\n");
            RawHttpClient.Response r = c.read(true);
            assertThat(r.status()).isEqualTo(200);
            assertThat(c.get("/next").bodyText()).contains("uri=/next");
        }
    }

    @Test
    void serverCloseMode_opensABackendConnectionPerRequest() throws Exception {
        startProxy(Tables.builder().connectionMode(ConnectionMode.SERVER_CLOSE));
        try (RawHttpClient c = new RawHttpClient(port)) {
            for (int i = 0; i < 5; i++) {
                assertThat(c.get("/x").status()).isEqualTo(200);
            }
        }
        assertThat(backend.connections()).isEqualTo(5);
    }

    @Test
    void httpCloseMode_closesTheClientConnection() throws Exception {
        startProxy(Tables.builder().connectionMode(ConnectionMode.CLOSE));
        try (RawHttpClient c = new RawHttpClient(port)) {
            RawHttpClient.Response r = c.get("/x");
            assertThat(r.header("connection")).isEqualToIgnoringCase("close");
            assertThat(c.isClosedByServer()).isTrue();
        }
    }
}
