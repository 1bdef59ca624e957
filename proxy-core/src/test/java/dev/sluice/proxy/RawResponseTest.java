package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

/** Which origin responses are read as bytes, and what the client gets of them. */
class RawResponseTest {

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    private static String text(ByteBuf b) {
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void plainResponse_isRead_andTheClientGetsItLessItsHopByHopLines() {
        ByteBuf in = bytes("HTTP/1.1 200 OK\r\nServer: s\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n"
                + "X-A:  spaced \r\ncontent-length: 3\r\n\r\nabcNEXT");
        RawResponse raw = RawResponse.read(in);
        assertThat(raw).isNotNull();
        assertThat(raw.status()).isEqualTo(200);
        assertThat(raw.contentLength()).isEqualTo(3);
        assertThat(raw.connectionSaid()).isEqualTo(HopByHop.KEEP_ALIVE);
        // the next response's bytes stay
        assertThat(text(in)).isEqualTo("NEXT");
        RawResponse client = raw.forClient(ByteBufAllocator.DEFAULT, false);
        // the read bytes were let go, the copy is the client's
        assertThat(in.refCnt()).isEqualTo(1);
        assertThat(text(client.content()))
                .isEqualTo("HTTP/1.1 200 OK\r\nServer: s\r\nX-A:  spaced \r\ncontent-length: 3\r\n\r\nabc");
        assertThat(client.body()).isNull();
        client.release();
        in.release();
    }

    @Test
    void closingClient_getsConnectionClose_andNothingDroppedIsTheSameBytes() {
        ByteBuf in = bytes("HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\nConnection: close\r\n\r\nno");
        RawResponse raw = RawResponse.read(in);
        assertThat(raw.connectionSaid()).isEqualTo(HopByHop.CLOSE);
        RawResponse client = raw.forClient(ByteBufAllocator.DEFAULT, true);
        assertThat(text(client.content())).isEqualTo("HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\nConnection: close\r\n\r\nno");
        client.release();
        in.release();

        ByteBuf plain = bytes("HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n");
        RawResponse same = RawResponse.read(plain);
        assertThat(same.forClient(ByteBufAllocator.DEFAULT, false)).isSameAs(same);
        assertThat(text(same.content())).isEqualTo("HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n");
        same.release();
        plain.release();
    }

    @Test
    void largeBody_followsTheRewrittenHeadAsASlice() {
        String body = "x".repeat(10_000);
        ByteBuf in = bytes("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 10000\r\n\r\n" + body);
        RawResponse client = RawResponse.read(in).forClient(ByteBufAllocator.DEFAULT, false);
        assertThat(text(client.content())).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 10000\r\n\r\n");
        assertThat(text(client.body())).isEqualTo(body);
        client.release();
        assertThat(in.refCnt()).isEqualTo(1);
        in.release();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok",                      // not HTTP/1.1
        "HTTP/1.1 204 No Content\r\n\r\n",                                    // no body allowed
        "HTTP/1.1 304 Not Modified\r\nContent-Length: 2\r\n\r\n",
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",      // chunked
        "HTTP/1.1 200 OK\r\n\r\nclose-delimited",                             // no length
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok", // two lengths
        "HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\nok",
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Fold: a\r\n b\r\n\r\nok",  // a folded line
        "HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\nok",                    // space before the colon
        "HTTP/1.1 200 OK\nContent-Length: 2\n\nok",                           // bare LF
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-C: a\u0001b\r\n\r\nok",    // a control byte in a value
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX(C): a\r\n\r\nok",          // not a token
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: x-other\r\nX-Other: 1\r\n\r\nok", // names a header
        "HTTP/1.1 200 OK\r\nConnection: close\r\nKeep-Alive: a\r\nUpgrade: b\r\nContent-Length: 2\r\n\r\nok", // 3 to drop
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nok",                     // the body is not all here
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n",                           // nor the head
        "HTTP/1.1 2x0 OK\r\nContent-Length: 2\r\n\r\nok",
        "HTTP/1.1 600 Odd\r\nContent-Length: 2\r\n\r\nok",
    })
    void anythingButAPlainWholeResponse_isLeftToTheDecoder(String response) {
        ByteBuf in = bytes(response);
        assertThat(RawResponse.read(in)).isNull();
        assertThat(in.readerIndex()).isZero();
        in.release();
    }

    @Test
    void headLongerThanTheScratch_isLeftToTheDecoder() {
        ByteBuf in = bytes("HTTP/1.1 200 OK\r\nX-Long: " + "v".repeat(RawResponse.MAX_HEAD) + "\r\nContent-Length: 0\r\n\r\n");
        assertThat(RawResponse.read(in)).isNull();
        in.release();
    }
}
