package dev.sluice.proxy;

import dev.sluice.routing.Backend;
import dev.sluice.routing.ConnectionMode;
import dev.sluice.routing.Frontend;
import dev.sluice.routing.Server;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * The answer of one exchange as its client receives it: interim (1xx) responses, passed on to
 * HTTP/1.1 and HTTP/2 clients (not HTTP/1.0 ones); the final head, rewritten for the client
 * (hop-by-hop headers removed, the {@code http-response} rules applied, the persistence cookie
 * set, the body framed for the client's HTTP version); Sluice's own answers; and whether the
 * client connection stays open after the answer. What the origin connection does is the {@link Exchange}'s.
 *
 * <p>One object per client connection, owned by its {@link HttpClientHandler} and
 * {@linkplain #begin begun} again for each of its requests (there is one exchange at a time), so
 * that it costs no object per request. Ownership: every response object given to it is written
 * to the client (ownership moves to the client channel) or released here.
 */
final class ClientResponse {

    private final ChannelHandlerContext client;
    private final HttpRequestView view;
    private final ExchangeStats stats;
    /** Whether the client is an HTTP/1 connection (its codec takes a {@link RawResponse}), not an HTTP/2 stream. */
    private final boolean http1Connection;
    private Frontend frontend;
    /** The request's backend, whether that backend's rules apply, its persistence cookie. */
    private Admission admission;
    private boolean http10;
    /** Whether the client connection stays open after this answer, as far as known so far. */
    private boolean keepAlive;
    /** Within a 1xx interim response, whose end comes before the final response. */
    private boolean informational;
    private boolean started;

    /** {@code view} and {@code stats}: the connection's, as its exchanges use them. */
    ClientResponse(ChannelHandlerContext client, HttpRequestView view, ExchangeStats stats, boolean http1Connection) {
        this.client = client;
        this.view = view;
        this.stats = stats;
        this.http1Connection = http1Connection;
    }

    /** The client connection's context, which this writes to. */
    ChannelHandlerContext client() {
        return client;
    }

    /** For the view's current request, on {@code frontend}; called before its head is rewritten for the origin. */
    void begin(Frontend frontend) {
        HttpRequest request = view.request();
        this.frontend = frontend;
        admission = null;
        http10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
        keepAlive = HttpUtil.isKeepAlive(request) && frontend.connectionMode() != ConnectionMode.CLOSE;
        informational = false;
        started = false;
    }

    /** The request goes to {@code admission}'s backend; one in connection mode close ends the client connection too. */
    void admitted(Admission admission) {
        this.admission = admission;
        if (admission.backend().connectionMode() == ConnectionMode.CLOSE) {
            keepAlive = false;
        }
    }

    /** The client connection ends with this answer. */
    void closeAfter() {
        keepAlive = false;
    }

    boolean keepAlive() {
        return keepAlive;
    }

    /** Whether the final head has been written (nothing else can answer the request any more). */
    boolean started() {
        return started;
    }

    /**
     * The head of a 1xx interim response: an HTTP/1.0 client does not get it; an HTTP/2 stream
     * gets it as a HEADERS frame that does not end the stream (the HTTP/1 codec of a stream takes
     * no interim head but a whole 100, and would end the stream with any other).
     */
    void interim(HttpResponse response) {
        informational = true;
        if (http10) {
            ReferenceCountUtil.release(response);
        } else if (!http1Connection) {
            Http2Headers headers = HttpConversionUtil.toHttp2Headers(response, true);
            ReferenceCountUtil.release(response);
            client.write(new DefaultHttp2HeadersFrame(headers, false), client.voidPromise());
        } else {
            client.write(response, client.voidPromise());
        }
    }

    /** Takes (and releases) {@code content} if it belongs to a 1xx interim response; false if not. */
    boolean interimContent(HttpContent content) {
        if (!informational) {
            return false;
        }
        // The end of a 1xx interim response: the real response follows.
        if (content instanceof LastHttpContent) {
            informational = false;
            if (http1Connection && !http10) {
                client.write(LastHttpContent.EMPTY_LAST_CONTENT, client.voidPromise());
            }
            if (!http10) {
                client.flush();
            }
        }
        ReferenceCountUtil.release(content);
        return true;
    }

    /**
     * Writes the head of the final response, which {@code served} gave: rewritten for the client
     * (its hop-by-hop headers already gone, see {@code Exchange}), unless it is the 101 of an
     * upgrade ({@code upgrading}), which passes as it is.
     */
    void head(HttpResponse response, boolean upgrading, Server served) {
        int status = response.status().code();
        if (!upgrading) {
            Backend backend = admission.backend();
            if (admission.backendRulesApply()) {
                HttpActions.applyResponseRules(backend.responseRules(), view, response.headers());
            }
            HttpActions.applyResponseRules(frontend.responseRules(), view, response.headers());
            if (backend.cookie() != null) {
                StickyCookies.onResponse(backend.cookie(), served, admission.cookieValue(), response.headers());
            }
            keepAlive = MessageHeads.frameForClient(response, view.request().method(), http10, keepAlive);
        }
        started = true;
        stats.response(status, false);
        client.write(response, client.voidPromise());
    }

    /**
     * Whether a final head would reach the client as the origin sent it but for its hop-by-hop
     * lines and a {@code Connection: close}, so that it may come as a {@link RawResponse}: an
     * HTTP/1.1 client on an HTTP/1 connection, no response rule, no persistence cookie.
     */
    boolean takesRawHead() {
        if (!http1Connection || http10 || admission == null) {
            return false;
        }
        Backend backend = admission.backend();
        return (!admission.backendRulesApply() || backend.responseRules().isEmpty())
                && frontend.responseRules().isEmpty() && backend.cookie() == null;
    }

    /** Writes a whole final response read as bytes ({@link #takesRawHead}). */
    void raw(RawResponse response) {
        started = true;
        stats.response(response.status(), false);
        client.write(response.forClient(client.alloc(), !keepAlive), client.voidPromise());
    }

    /**
     * Writes and flushes an answer Sluice made itself, saying in {@code Connection} whether the
     * client connection stays open: not after a 400, nor when the request body was not read to
     * its end ({@code bodyRead} false). Returns whether it does.
     */
    boolean local(FullHttpResponse answer, boolean bodyRead) {
        boolean keep = keepAlive && bodyRead && answer.status().code() != 400;
        answer.headers().set(HttpHeaderNames.CONNECTION, keep ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        if (keep && !http10) {
            answer.headers().remove(HttpHeaderNames.CONNECTION);
        }
        client.writeAndFlush(answer, client.voidPromise());
        return keep;
    }
}
