package dev.sluice.proxy;

import dev.sluice.routing.Backend;
import dev.sluice.routing.ConnectionMode;
import dev.sluice.routing.Frontend;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/** How a request head is rewritten for the origin, and a response head for the client. */
final class MessageHeads {

    private static final io.netty.util.AsciiString H2_STREAM_ID =
            io.netty.handler.codec.http2.HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text();
    private static final io.netty.util.AsciiString H2_SCHEME =
            io.netty.handler.codec.http2.HttpConversionUtil.ExtensionHeaderNames.SCHEME.text();
    private static final io.netty.util.AsciiString H2_PATH =
            io.netty.handler.codec.http2.HttpConversionUtil.ExtensionHeaderNames.PATH.text();
    private static final io.netty.util.AsciiString H2_DEPENDENCY =
            io.netty.handler.codec.http2.HttpConversionUtil.ExtensionHeaderNames.STREAM_DEPENDENCY_ID.text();
    private static final io.netty.util.AsciiString H2_WEIGHT =
            io.netty.handler.codec.http2.HttpConversionUtil.ExtensionHeaderNames.STREAM_WEIGHT.text();

    private MessageHeads() {
    }

    /**
     * The request as the origin gets it: hop-by-hop headers removed, HTTP/1.1, {@code Connection:
     * close} unless both sides keep server connections alive, forwarded-for headers added.
     */
    static void prepareRequest(HttpRequest request, Frontend frontend, Backend backend, HttpRequestView view) {
        // TE is hop-by-hop, but "TE: trailers" is forwarded to HTTP/2 servers (gRPC needs it)
        view.acceptsTrailers(HopByHop.acceptsTrailers(request.headers()));
        HopByHop.stripRequest(request.headers());
        if (request.headers().contains(H2_STREAM_ID)) {
            // added by the HTTP/2 conversion; not the client's and not for the server
            request.headers().remove(H2_STREAM_ID).remove(H2_SCHEME).remove(H2_PATH).remove(H2_DEPENDENCY)
                    .remove(H2_WEIGHT);
        }
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (backend.connectionMode() != ConnectionMode.KEEP_ALIVE || frontend.connectionMode() == ConnectionMode.CLOSE) {
            request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ForwardedHeaders.apply(request.headers(), frontend, backend, view);
    }

    /**
     * Chooses how the response body reaches the client: a close-delimited body is chunked for
     * HTTP/1.1 clients; HTTP/1.0 clients get chunked bodies close-delimited. Sets the
     * {@code Connection} header and returns whether the client connection stays open.
     */
    static boolean frameForClient(HttpResponse response, HttpMethod method, boolean clientHttp10, boolean keepAlive) {
        int status = response.status().code();
        boolean bodyless = method.equals(HttpMethod.HEAD) || status == 204 || status == 304;
        boolean delimited = HttpUtil.isContentLengthSet(response) || HttpUtil.isTransferEncodingChunked(response);
        if (!bodyless && !delimited) {
            if (clientHttp10) {
                keepAlive = false;
            } else {
                HttpUtil.setTransferEncodingChunked(response, true);
            }
        }
        if (clientHttp10 && HttpUtil.isTransferEncodingChunked(response)) {
            response.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            keepAlive = false;
        }
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (clientHttp10) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        return keepAlive;
    }

    /**
     * A response that announces a body it must not carry (204, 304, or any answer to HEAD, with a
     * length or chunking): an origin may still send those bytes, which the codec would leave on
     * the connection for the next request, so the connection is not reused. (Legitimate 304 and
     * HEAD answers with a Content-Length cost a new origin connection; correctness first.)
     */
    static boolean announcesForbiddenBody(HttpResponse response, HttpMethod method) {
        int status = response.status().code();
        // the headers are read only for the answers that may not carry a body (rare)
        return (status == 204 || status == 304 || method.equals(HttpMethod.HEAD))
                && (HttpUtil.getContentLength(response, 0L) != 0 || HttpUtil.isTransferEncodingChunked(response));
    }
}
