package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

/** The client connection's codec on its own: what HttpServerCodec did, and whole requests. */
class ClientConnectionCodecTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    private void codec(int maxPipelineDepth) {
        ClientConnectionCodec.addLast(channel.pipeline(), new HttpDecoderConfig().setHeadersFactory(KnownWords.HEADERS),
                maxPipelineDepth);
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    private String written() {
        StringBuilder b = new StringBuilder();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            b.append(buf.toString(StandardCharsets.ISO_8859_1));
            buf.release();
        }
        return b.toString();
    }

    private static DefaultFullHttpResponse response(String body) {
        DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer(body, StandardCharsets.ISO_8859_1));
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length());
        return r;
    }

    @Test
    void bodylessRequest_isOneWholeMessage_andARequestWithABodyIsNot() {
        codec(16);
        channel.writeInbound(bytes("GET /a HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n\r\nPOST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nok"));
        FullHttpRequest whole = channel.readInbound();
        assertThat(whole.uri()).isEqualTo("/a");
        assertThat(whole.headers().get("x-a")).isEqualTo("1");
        assertThat(whole.content().isReadable()).isFalse();
        HttpRequest head = channel.readInbound();
        assertThat(head).isNotInstanceOf(LastHttpContent.class);
        assertThat(head.uri()).isEqualTo("/b");
        HttpContent body = channel.readInbound();
        assertThat(body).isInstanceOf(LastHttpContent.class);
        assertThat(body.content().toString(StandardCharsets.ISO_8859_1)).isEqualTo("ok");
        body.release();
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void requestWithAnInvalidHeaderName_failsToDecode_andSharedNamesPass() {
        codec(16);
        channel.writeInbound(bytes("GET /a HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"));
        FullHttpRequest good = channel.readInbound();
        assertThat(good.decoderResult().isSuccess()).isTrue();
        assertThat(good.headers().names()).containsExactly("Host", "Content-Length");
        good.release();
        channel.writeInbound(bytes("GET /b HTTP/1.1\r\nHost: h\r\nX\u0001Bad: v\r\n\r\n"));
        HttpRequest bad = channel.readInbound();
        assertThat(bad.decoderResult().isFailure()).isTrue();
        assertThat(bad.decoderResult().cause()).hasMessageContaining("header name");
        ReferenceCountUtil.release(bad);
    }

    @Test
    void responseToHead_isWrittenWithoutItsBody_andTheNextWithIt() {
        codec(16);
        channel.writeInbound(bytes("HEAD /h HTTP/1.1\r\nHost: h\r\n\r\nGET /g HTTP/1.1\r\nHost: h\r\n\r\n"));
        ReferenceCountUtil.release(channel.readInbound());
        ReferenceCountUtil.release(channel.readInbound());
        channel.writeOutbound(response("hello"));
        assertThat(written()).startsWith("HTTP/1.1 200 OK\r\n").contains("content-length: 5").endsWith("\r\n\r\n");
        channel.writeOutbound(response("world"));
        assertThat(written()).endsWith("\r\n\r\nworld");
    }

    @Test
    void tooManyWaitingRequests_areRefused_andTheConnectionClosesAfterTheFirstResponse() {
        codec(2);
        assertThatThrownBy(() -> channel.writeInbound(bytes(
                "GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\nGET /3 HTTP/1.1\r\nHost: h\r\n\r\n")))
                .hasMessageContaining("maxPipelineDepth exceeded: 2");
        FullHttpRequest first = channel.readInbound();
        FullHttpRequest second = channel.readInbound();
        assertThat(first.uri()).isEqualTo("/1");
        assertThat(second.uri()).isEqualTo("/2");
        assertThat((Object) channel.readInbound()).isNull();
        // what comes after is dropped
        channel.writeInbound(bytes("GET /4 HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertThat((Object) channel.readInbound()).isNull();
        channel.writeOutbound(response("one"));
        assertThat(written()).endsWith("one");
        assertThat(channel.isOpen()).isFalse();
    }
}
