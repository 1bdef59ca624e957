package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.stats.Traffic;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A message decoded whole in one read (a body-less request; a response whose body came with its
 * head) goes through the proxy as one message ({@link ClientConnectionCodec},
 * {@link OriginConnectionCodec}); one that comes in parts goes as before. Both must frame,
 * count and reuse connections the same.
 */
class WholeMessagesTest extends ScriptedOriginTest {

    @Test
    void responsesWholeAndInParts_reachTheClientIntact_overOneOriginConnection() throws Exception {
        scripted = new ScriptedOrigin((conn, i) -> {
            conn.readHead();
            conn.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"); // head and body in one write
            conn.readHead();
            conn.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhe"); // the body in two parts
            sleep(150);
            conn.write("llo");
            conn.readHead();
            conn.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"); // an empty chunked body
            conn.readHead();
            conn.write("HTTP/1.1 204 No Content\r\n\r\n");
            conn.readHead();
            conn.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-Sum: 7\r\n\r\n");
            conn.readHead();
        });
        start(Tables.builder().server(scripted.port()));
        try (RawHttpClient c = new RawHttpClient(port)) {
            assertThat(c.get("/whole").bodyText()).isEqualTo("hello");
            assertThat(c.get("/parts").bodyText()).isEqualTo("hello");
            RawHttpClient.Response emptyChunked = c.get("/empty-chunked");
            assertThat(emptyChunked.status()).isEqualTo(200);
            assertThat(emptyChunked.header("transfer-encoding")).isEqualToIgnoringCase("chunked");
            assertThat(emptyChunked.body()).isEmpty();
            RawHttpClient.Response noContent = c.get("/no-content");
            assertThat(noContent.status()).isEqualTo(204);
            assertThat(noContent.body()).isEmpty();
            RawHttpClient.Response trailers = c.get("/trailers");
            assertThat(trailers.bodyText()).isEqualTo("abc");
            assertThat(trailers.trailer("x-sum")).isEqualTo("7");
        }
        awaitNoActiveRequests();
        assertThat(scripted.connections()).isEqualTo(1);
        // every body byte is counted once, whether it came with its head or after it
        assertThat(proxy.table().traffic().backend("be").sum(Traffic.BYTES_OUT)).isEqualTo(5 + 5 + 0 + 0 + 3);
    }

    @Test
    void pipelinedBodylessRequests_andOneWithABody_areForwardedInOrder() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        scripted = new ScriptedOrigin((conn, i) -> {
            String head;
            while ((head = conn.readHead()) != null) {
                String line = head.substring(0, head.indexOf('\r'));
                String body = head.contains("Content-Length: 4") ? conn.read(4) : "";
                seen.add(line + (body.isEmpty() ? "" : " " + body));
                String answer = line.split(" ")[1];
                conn.write("HTTP/1.1 200 OK\r\nContent-Length: " + answer.length() + "\r\n\r\n" + answer);
            }
        });
        start(Tables.builder().server(scripted.port()));
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("GET /a HTTP/1.1\r\nHost: h\r\n\r\n"
                    + "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nbody"
                    + "DELETE /c HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"
                    + "GET /d HTTP/1.1\r\nHost: h\r\n\r\n");
            for (String path : List.of("/a", "/b", "/c", "/d")) {
                assertThat(c.read().bodyText()).isEqualTo(path);
            }
        }
        assertThat(seen).containsExactly("GET /a HTTP/1.1", "POST /b HTTP/1.1 body", "DELETE /c HTTP/1.1", "GET /d HTTP/1.1");
    }

    @Test
    void headerNamesAndStartLines_areRelayedAsReceived() throws Exception {
        List<String> heads = new CopyOnWriteArrayList<>();
        scripted = ScriptedOrigin.answering(head -> {
            heads.add(head);
            return "HTTP/1.1 200 OK\r\nContent-Type: text/a\r\ncontent-language: b\r\nCACHE-CONTROL: c\r\n"
                    + "X-Own-Name: d\r\nContent-Length: 2\r\n\r\nok";
        });
        start(Tables.builder().server(scripted.port()));
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("PATCH /p HTTP/1.1\r\nHost: h\r\nuser-agent: u\r\nACCEPT: a\r\nX-Own-Name: o\r\n\r\n");
            String head = readHead(c.input());
            assertThat(head).startsWith("HTTP/1.1 200 OK\r\n")
                    .contains("\r\nContent-Type: text/a\r\n", "\r\ncontent-language: b\r\n", "\r\nCACHE-CONTROL: c\r\n",
                            "\r\nX-Own-Name: d\r\n");
        }
        assertThat(heads).hasSize(1);
        assertThat(heads.get(0)).startsWith("PATCH /p HTTP/1.1\r\n")
                .contains("\r\nuser-agent: u\r\n", "\r\nACCEPT: a\r\n", "\r\nX-Own-Name: o\r\n");
    }

    @Test
    void unusualStatusLine_isRelayedAsReceived() throws Exception {
        scripted = ScriptedOrigin.answering(head -> "HTTP/1.1 299 Fine Thanks\r\nContent-Length: 0\r\n\r\n");
        start(Tables.builder().server(scripted.port()));
        try (RawHttpClient c = new RawHttpClient(port)) {
            RawHttpClient.Response r = c.get("/s");
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 299 Fine Thanks");
            assertThat(c.get("/t").status()).isEqualTo(299);
        }
    }

    @Test
    void headRequest_getsTheHeadOnly_andTheConnectionGoesOn() throws Exception {
        scripted = ScriptedOrigin.answering(head -> head.startsWith("HEAD")
                ? "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
                : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        start(Tables.builder().server(scripted.port()));
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("HEAD /h HTTP/1.1\r\nHost: h\r\n\r\n");
            RawHttpClient.Response head = c.read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo("5");
            assertThat(c.get("/g").bodyText()).isEqualTo("ok");
        }
    }

    @Test
    void bodylessRequest_onAPooledConnectionTheServerClosed_isRetriedOnANewOne() throws Exception {
        scripted = new ScriptedOrigin((conn, i) -> {
            conn.readHead();
            conn.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst");
            if (i == 0) {
                conn.readHead(); // the next request arrives as the server gives up the connection
                return;
            }
            conn.readHead();
        });
        start(Tables.builder().server(scripted.port()));
        try (RawHttpClient c = new RawHttpClient(port)) {
            assertThat(c.get("/one").bodyText()).isEqualTo("first");
            RawHttpClient.Response retried = c.get("/two");
            assertThat(retried.status()).isEqualTo(200);
            assertThat(retried.bodyText()).isEqualTo("first");
        }
        assertThat(scripted.connections()).isEqualTo(2);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
