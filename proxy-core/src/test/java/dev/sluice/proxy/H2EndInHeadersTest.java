package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

/** The frames a client stream sends for a response, as the exchange writes it (void promises). */
class H2EndInHeadersTest {

    private final EmbeddedChannel stream = new EmbeddedChannel(new Http2StreamFrameToHttpObjectCodec(true),
            new H2EndInHeaders());

    @AfterEach
    void tearDown() {
        stream.finishAndReleaseAll();
    }

    private static HttpResponse head(int contentLength) {
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, contentLength);
        return r;
    }

    @Test
    void responseWithoutBody_endsTheStreamInItsHeadersFrame_withNoDataFrame() {
        stream.write(head(0), stream.voidPromise());
        stream.write(LastHttpContent.EMPTY_LAST_CONTENT, stream.voidPromise());
        stream.flush();

        Http2HeadersFrame headers = stream.readOutbound();
        assertThat(headers.isEndStream()).isTrue();
        assertThat(headers.headers().status().toString()).isEqualTo("200");
        assertThat(headers.headers().get("content-length").toString()).isEqualTo("0");
        assertThat((Object) stream.readOutbound()).isNull();
    }

    @Test
    void bodyAndTrailers_leaveAsBefore() {
        stream.write(head(3), stream.voidPromise());
        LastHttpContent last = new DefaultLastHttpContent(Unpooled.copiedBuffer("abc", StandardCharsets.US_ASCII));
        last.trailingHeaders().set("grpc-status", "0");
        stream.write(last, stream.voidPromise());
        stream.flush();

        Http2HeadersFrame headers = stream.readOutbound();
        assertThat(headers.isEndStream()).isFalse();
        Http2DataFrame data = stream.readOutbound();
        assertThat(data.content().toString(StandardCharsets.US_ASCII)).isEqualTo("abc");
        assertThat(data.isEndStream()).isFalse();
        data.release();
        Http2HeadersFrame trailers = stream.readOutbound();
        assertThat(trailers.isEndStream()).isTrue();
        assertThat(trailers.headers().get("grpc-status").toString()).isEqualTo("0");
    }

    @Test
    void headFlushedBeforeItsEnd_leavesAtTheFlush_andTheEndFollowsAsAnEmptyDataFrame() {
        stream.write(head(0), stream.voidPromise());
        stream.flush();

        Http2HeadersFrame headers = stream.readOutbound();
        assertThat(headers.isEndStream()).isFalse();

        stream.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, stream.voidPromise());
        Http2DataFrame end = stream.readOutbound();
        assertThat(end.isEndStream()).isTrue();
        assertThat(end.content().isReadable()).isFalse();
        end.release();
    }
}
