package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.Condition;
import dev.sluice.routing.HttpAction;
import dev.sluice.routing.HttpRule;
import dev.sluice.routing.stats.Traffic;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A plain whole response reaches an HTTP/1.1 client as the bytes the origin sent, less its
 * hop-by-hop lines ({@link RawResponse}); whatever the proxy must change goes through the
 * decoder as before. Both keep and count connections the same.
 */
class RawResponsesThroughProxyTest extends ScriptedOriginTest {

    private static final String PLAIN = "HTTP/1.1 200 OK\r\nServer: s\r\nConnection: keep-alive\r\n"
            + "Keep-Alive: timeout=5\r\nX-A:  spaced \r\nContent-Length: 3\r\n\r\nabc";

    private static String readExactly(InputStream in, int n) throws Exception {
        byte[] b = in.readNBytes(n);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void plainResponses_areRelayedByteForByte_lessHopByHopLines_overOneOriginConnection() throws Exception {
        scripted = ScriptedOrigin.answering(head -> PLAIN);
        start(Tables.builder().server(scripted.port()));
        String expected = "HTTP/1.1 200 OK\r\nServer: s\r\nX-A:  spaced \r\nContent-Length: 3\r\n\r\nabc";
        try (RawHttpClient c = new RawHttpClient(port)) {
            for (int i = 0; i < 3; i++) {
                c.send("GET /p" + i + " HTTP/1.1\r\nHost: h\r\n\r\n");
                assertThat(readExactly(c.input(), expected.length())).isEqualTo(expected);
            }
        }
        awaitNoActiveRequests();
        assertThat(scripted.connections()).isEqualTo(1);
        assertThat(proxy.table().traffic().backend("be").sum(Traffic.BYTES_OUT)).isEqualTo(9);
        assertThat(proxy.table().traffic().backend("be").sum(Traffic.RESPONSES_2XX)).isEqualTo(3);
    }

    @Test
    void largeBodies_readWholeOrInParts_arriveIntact() throws Exception {
        String body = "0123456789".repeat(1000);
        scripted = ScriptedOrigin.answering(head -> "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 10000\r\n\r\n"
                + body);
        start(Tables.builder().server(scripted.port()));
        String expected = "HTTP/1.1 200 OK\r\nContent-Length: 10000\r\n\r\n" + body;
        try (RawHttpClient c = new RawHttpClient(port)) {
            // the first reads of an origin connection are small, so the body comes in parts (the
            // decoder's way); as the read buffer grows it may come whole (as bytes, the head
            // apart from the body's slice): either way the client gets the same
            for (int i = 0; i < 20; i++) {
                c.send("GET /big" + i + " HTTP/1.1\r\nHost: h\r\n\r\n");
                RawHttpClient.Response r = c.read();
                assertThat(r.bodyText()).isEqualTo(body);
                assertThat(r.header("connection")).isNull();
            }
            c.send("GET /last HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(readExactly(c.input(), expected.length())).isEqualTo(expected);
        }
        awaitNoActiveRequests();
        assertThat(scripted.connections()).isEqualTo(1);
        assertThat(proxy.table().traffic().backend("be").sum(Traffic.BYTES_OUT)).isEqualTo(21 * 10_000);
    }

    @Test
    void clientThatCloses_getsConnectionClose_andOriginThatCloses_isNotReused() throws Exception {
        scripted = ScriptedOrigin.answering(head -> head.contains("/origin-closes")
                ? "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"
                : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        start(Tables.builder().server(scripted.port()));
        try (RawHttpClient c = new RawHttpClient(port)) {
            RawHttpClient.Response r = c.get("/origin-closes");
            assertThat(r.bodyText()).isEqualTo("ok");
            assertThat(r.header("connection")).isNull();
            assertThat(c.get("/next").bodyText()).isEqualTo("ok");
        }
        awaitNoActiveRequests();
        assertThat(scripted.connections()).isEqualTo(2);
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("GET /last HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
            String all = new String(c.input().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(all).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        }
    }

    @Test
    void responseRules_andHttp10Clients_stillGetTheRewrittenHead() throws Exception {
        scripted = ScriptedOrigin.answering(head -> PLAIN);
        start(Tables.builder().server(scripted.port())
                .responseRules(List.of(new HttpRule(new HttpAction.SetHeader("X-Rule", "r"), Condition.ALWAYS))));
        try (RawHttpClient c = new RawHttpClient(port)) {
            RawHttpClient.Response r = c.get("/ruled");
            assertThat(r.header("x-rule")).isEqualTo("r");
            assertThat(r.header("keep-alive")).isNull();
            assertThat(r.bodyText()).isEqualTo("abc");
        }
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("GET /old HTTP/1.0\r\nHost: h\r\nConnection: keep-alive\r\n\r\n");
            RawHttpClient.Response r = c.read();
            assertThat(r.header("connection")).isEqualToIgnoringCase("keep-alive");
            assertThat(r.bodyText()).isEqualTo("abc");
        }
    }

    @Test
    void connectionNamingAHeader_removesThatHeader_andOtherHeadsStillPass() throws Exception {
        scripted = ScriptedOrigin.answering(head -> head.contains("/named")
                ? "HTTP/1.1 200 OK\r\nConnection: x-hop\r\nX-Hop: 1\r\nContent-Length: 2\r\n\r\nok"
                : "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n");
        start(Tables.builder().server(scripted.port()));
        try (RawHttpClient c = new RawHttpClient(port)) {
            RawHttpClient.Response named = c.get("/named");
            assertThat(named.header("x-hop")).isNull();
            assertThat(named.bodyText()).isEqualTo("ok");
            RawHttpClient.Response chunked = c.get("/chunked");
            assertThat(chunked.header("transfer-encoding")).isEqualToIgnoringCase("chunked");
            assertThat(chunked.bodyText()).isEqualTo("ok");
            assertThat(c.get("/named").bodyText()).isEqualTo("ok");
        }
        awaitNoActiveRequests();
        assertThat(scripted.connections()).isEqualTo(1);
    }
}
