package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A request body on its way to the origin: held while the connection opens, then sent in order. */
class RequestBodyTest {

    private final EmbeddedChannel origin = new EmbeddedChannel();

    @AfterEach
    void tearDown() {
        origin.finishAndReleaseAll();
    }

    private static HttpRequest post(long length) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/upload");
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, length);
        return r;
    }

    private static HttpContent chunk(String s) {
        return new DefaultHttpContent(Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII));
    }

    private static HttpContent last(String s) {
        return new DefaultLastHttpContent(Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII));
    }

    /** What reached the origin, in order: the head as "HEAD", each chunk's text, "END" after a last one. */
    private List<String> sent() {
        List<String> out = new ArrayList<>();
        Object m;
        while ((m = origin.readOutbound()) != null) {
            if (m instanceof HttpRequest) {
                out.add("HEAD");
            }
            if (m instanceof HttpContent c) {
                if (c.content().isReadable()) {
                    out.add(c.content().toString(StandardCharsets.US_ASCII));
                }
                if (c instanceof LastHttpContent) {
                    out.add("END");
                }
            }
            ReferenceCountUtil.release(m);
        }
        return out;
    }

    @Test
    void chunksThatCameWhileTheOriginOpened_followTheHeadInOrder() {
        HttpRequest head = post(6);
        RequestBody body = new RequestBody(head);
        assertThat(body.hasBody()).isTrue();

        assertThat(body.pass(chunk("abc"), null)).isFalse();
        assertThat(body.complete()).isFalse();
        assertThat(body.pass(last("def"), null)).isFalse();
        assertThat(body.complete()).isTrue();
        assertThat(sent()).isEmpty();

        body.sendWith(head, origin, false);
        assertThat(sent()).containsExactly("HEAD", "abc", "def", "END");
    }

    @Test
    void onceTheOriginIsOpen_chunksGoStraightToIt() {
        HttpRequest head = post(3);
        RequestBody body = new RequestBody(head);
        body.sendWith(head, origin, false);

        assertThat(body.wanted(origin)).isTrue();
        assertThat(body.pass(last("xyz"), origin)).isTrue();
        origin.flushOutbound();
        assertThat(sent()).containsExactly("HEAD", "xyz", "END");
        assertThat(body.wanted(origin)).isFalse();
        assertThat(body.canTake(origin)).isTrue();
    }

    @Test
    void theClientIsPaused_onceSixtyFourKilobytesWaitForTheOrigin() {
        HttpRequest head = post(200_000);
        RequestBody body = new RequestBody(head);
        String kb = "x".repeat(1024);
        for (int i = 0; i < RequestBody.MAX_QUEUED_BYTES / 1024 - 1; i++) {
            body.pass(chunk(kb), null);
        }
        assertThat(body.canTake(null)).isTrue();
        body.pass(chunk(kb), null);
        assertThat(body.canTake(null)).isFalse();
        assertThat(body.wanted(null)).isFalse();

        body.sendWith(head, origin, false);
        assertThat(body.canTake(origin)).isTrue();
        assertThat(sent()).hasSize(1 + RequestBody.MAX_QUEUED_BYTES / 1024);
    }

    @Test
    void theRetryOfABodilessRequest_sendsItsEndAgain() {
        HttpRequest get = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        RequestBody body = new RequestBody(get);
        assertThat(body.hasBody()).isFalse();
        body.pass(LastHttpContent.EMPTY_LAST_CONTENT, null);

        body.sendWith(get, origin, false);
        assertThat(sent()).containsExactly("HEAD", "END");
        // the end went to a pooled connection that turned out dead: a new one gets the head and the end
        body.sendWith(get, origin, true);
        assertThat(sent()).containsExactly("HEAD", "END");
    }

    @Test
    void aChunkAfterTheExchangeEnded_isReleasedAndItsEndNoted() {
        RequestBody body = new RequestBody(post(2));
        HttpContent late = last("zz");
        body.drop(late);
        assertThat(late.refCnt()).isZero();
        assertThat(body.complete()).isTrue();
    }

    @Test
    void releaseFreesWhatWaited_andResetStartsTheNextRequest() {
        RequestBody body = new RequestBody(post(4));
        HttpContent waiting = chunk("ab");
        body.pass(waiting, null);
        body.reset(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/next"));
        assertThat(waiting.refCnt()).isZero();
        assertThat(body.hasBody()).isFalse();
        assertThat(body.complete()).isFalse();
        assertThat(body.canTake(null)).isTrue();
    }
}
