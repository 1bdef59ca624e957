package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Framing, trailers, smuggling vectors and malformed messages, in both directions. */
class RequestFramingTest extends ScriptedOriginTest {

    // ---- framing ------------------------------------------------------------------------------

    @Test
    void responseTrailers_reachTheClient() throws Exception {
        scripted = new ScriptedOrigin((conn, i) -> {
            conn.readHead();
            conn.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-Sum: 42\r\n\r\n");
            conn.readHead();
        });
        start(Tables.builder().server(scripted.port()));
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("GET /t HTTP/1.1\r\nHost: h\r\n\r\n");
            String head = readHead(c.input());
            assertThat(head).containsIgnoringCase("transfer-encoding: chunked");
            String rest = readUntil(c.input(), "\r\n0\r\n");
            assertThat(rest).contains("abc");
            assertThat(readHead(c.input())).containsIgnoringCase("x-sum: 42");
        }
    }

    @Test
    void http10KeepAlive_localAnswer_keepsTheConnectionOpen() throws Exception {
        start(Tables.builder().server(backend.port()).noBackend());
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            RawHttpClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.header("connection")).isEqualToIgnoringCase("keep-alive");
            c.send("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(503);
        }
    }

    @Test
    void pipelinedRequests_afterALocalAnswer_areEachAnswered() throws Exception {
        start(Tables.builder().server(backend.port()).noBackend());
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\nGET /c HTTP/1.1\r\nHost: h\r\n\r\n");
            for (int i = 0; i < 3; i++) {
                assertThat(c.read().status()).isEqualTo(503);
            }
        }
    }

    @Test
    void requestTrailers_andChunkedBody_areForwardedWhole() throws Exception {
        start(Tables.builder().server(backend.port()));
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("POST /upload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n3\r\nabc\r\n0\r\nX-Sum: 1\r\n\r\n");
            assertThat(c.read().bodyText()).isEqualTo("received=8");
            assertThat(c.get("/n").status()).isEqualTo(200);
        }
    }

    // ---- smuggling vectors --------------------------------------------------------------------

    @Test
    void contentLengthAndChunked_isForwardedChunkedOnly() throws Exception {
        start(Tables.builder().server(backend.port()));
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n0\r\n\r\n");
            RawHttpClient.Response r = c.read();
            if (r.status() == 200) {
                assertThat(r.bodyText()).doesNotContain("content-length: 3");
            } else {
                assertThat(r.status()).isEqualTo(400);
            }
        }
    }

    @Test
    void duplicateContentLength_is400() throws Exception {
        start(Tables.builder().server(backend.port()));
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nhello");
            assertThat(c.read().status()).isEqualTo(400);
        }
        assertThat(backend.requests()).isZero();
    }

    // Regression: Transfer-Encoding whose final coding is not chunked is forwarded (the origin may frame it differently) (fixed: 400 (RFC 9112 6.3))
    @Test
    void transferEncodingNotEndingInChunked_is400() throws Exception {
        start(Tables.builder().server(backend.port()));
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("POST /upload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, identity\r\n\r\n"
                    + "5\r\nhello\r\n0\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(400);
        }
        assertThat(backend.requests()).isZero();
    }

    @Test
    void spaceBeforeColon_is400() throws Exception {
        start(Tables.builder().server(backend.port()));
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length : 5\r\n\r\nhello");
            assertThat(c.read().status()).isEqualTo(400);
        }
        assertThat(backend.requests()).isZero();
    }

    @Test
    void obsFoldedHeader_reachesTheOriginOnOneLine_orIsRejected() throws Exception {
        start(Tables.builder().server(backend.port()));
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("GET /f HTTP/1.1\r\nHost: h\r\nX-Folded: a\r\n b\r\n\r\n");
            RawHttpClient.Response r = c.read();
            if (r.status() == 200) {
                assertThat(r.bodyText()).contains("x-folded: a b\n");
            } else {
                assertThat(r.status()).isEqualTo(400);
            }
        }
    }

    // Regression: an HTTP/1.1 absolute-form request without Host is routed as host-less while the origin serves the URI's host (Host rules bypassed) (fixed: 400 (RFC 9112 3.2))
    @Test
    void http11RequestWithoutHost_is400() throws Exception {
        start(Tables.builder().server(backend.port()));
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("GET http://admin.internal/secret HTTP/1.1\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(400);
        }
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("GET /no-host HTTP/1.1\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(400);
        }
        assertThat(backend.requests()).isZero();
    }

    @Test
    void http10RequestWithoutHost_isStillForwarded() throws Exception {
        start(Tables.builder().server(backend.port()));
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("GET /old HTTP/1.0\r\n\r\n");
            assertThat(c.read().bodyText()).contains("uri=/old");
        }
    }

    // Regression: a client that half-closes after sending its request (shutdown of its output, as nc does) gets no response (fixed: the response, then the close)
    @Test
    void clientThatHalfClosesAfterItsRequest_stillGetsTheResponse() throws Exception {
        start(Tables.builder().server(backend.port()));
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("GET /half HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            s.shutdownOutput();
            String got = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(got).startsWith("HTTP/1.1 200").contains("uri=/half");
        }
        awaitNoActiveRequests();
    }

    @Test
    void malformedChunkInRequestBody_is400_andReleasesEverything() throws Exception {
        start(Tables.builder().server(backend.port()));
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("POST /upload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nZZ\r\n");
            assertThat(c.read().status()).isEqualTo(400);
            assertThat(c.isClosedByServer()).isTrue();
        }
        awaitNoActiveRequests();
    }

    @Test
    void malformedChunkInResponse_truncatesTheResponse_andIsNotReused() throws Exception {
        scripted = new ScriptedOrigin((conn, i) -> {
            String head = conn.readHead();
            if (head.startsWith("GET /bad")) {
                conn.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nZZ\r\nmore");
                conn.drain();
                return;
            }
            conn.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            conn.readHead();
        });
        start(Tables.builder().server(scripted.port()));
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("GET /bad HTTP/1.1\r\nHost: h\r\n\r\n");
            String got = new String(c.input().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(got).startsWith("HTTP/1.1 200").contains("abc").doesNotContain("\r\n0\r\n");
        }
        awaitNoActiveRequests();
        try (RawHttpClient c = new RawHttpClient(port)) {
            assertThat(c.get("/ok").bodyText()).isEqualTo("ok");
        }
    }

    // Regression: a bare CR inside an origin's header value is relayed verbatim (header injection for clients that end lines at CR) (fixed: 502)
    @Test
    void bareCarriageReturnInAResponseHeader_isNotRelayed() throws Exception {
        scripted = new ScriptedOrigin((conn, i) -> {
            conn.readHead();
            conn.write("HTTP/1.1 200 OK\r\nLocation: /x\rSet-Cookie: injected=1\r\nContent-Length: 2\r\n\r\nok");
            conn.readHead();
        });
        start(Tables.builder().server(scripted.port()));
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("GET /r HTTP/1.1\r\nHost: h\r\n\r\n");
            String head = readHead(c.input());
            assertThat(head).doesNotContain("\r" + "Set-Cookie");
            assertThat(head).startsWith("HTTP/1.1 502");
        }
    }

    @Test
    void bareCarriageReturnInARequestHeader_is400() throws Exception {
        start(Tables.builder().server(backend.port()));
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("GET /r HTTP/1.1\r\nHost: h\r\nX-A: a\rX-Injected: 1\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(400);
        }
        assertThat(backend.requests()).isZero();
    }
}
