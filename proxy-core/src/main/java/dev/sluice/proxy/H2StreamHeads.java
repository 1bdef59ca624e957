package dev.sluice.proxy;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AsciiString;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Sits between an origin stream's {@code Http2StreamFrameToHttpObjectCodec} and its
 * {@link OriginHandler}, so that the exchange sees the same HTTP/1.1 objects as from an HTTP/1.1
 * origin.
 *
 * <p>Requests: the head becomes the HEADERS frame here (not in the codec, which sets no
 * {@code :authority} for an origin-form target): {@code :authority} from {@code Host},
 * connection-specific headers dropped, {@code te: trailers} when the client sent it (HTTP/2
 * allows no other TE value; gRPC servers require it). Bodies and trailers go on to the codec.
 *
 * <p>Responses: a HEADERS frame that ends the stream (a FullHttpResponse from the codec) is split
 * into a head and a last content, as the exchange expects; for gRPC such a "Trailers-Only"
 * answer keeps its {@code grpc-*} status in the trailers. Conversion-only headers are removed;
 * a header value with CR, LF or NUL (HPACK carries any octet) makes the response invalid (502).
 *
 * <p>Ownership: each message is passed on (or split into parts that take over its content).
 */
final class H2StreamHeads extends ChannelDuplexHandler {

    private static final AsciiString TRAILERS = AsciiString.cached("trailers");
    private static final List<AsciiString> GRPC_TRAILERS = List.of(AsciiString.cached("grpc-status"),
            AsciiString.cached("grpc-message"), AsciiString.cached("grpc-status-details-bin"));

    private final boolean teTrailers;
    private final String defaultAuthority;

    /**
     * @param teTrailers       the client announced {@code TE: trailers}
     * @param defaultAuthority {@code :authority} for a request without {@code Host} (the server's host:port)
     */
    H2StreamHeads(boolean teTrailers, String defaultAuthority) {
        this.teTrailers = teTrailers;
        this.defaultAuthority = defaultAuthority;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof HttpRequest request)) {
            ctx.write(msg, promise);
            return;
        }
        Http2Headers headers = requestHeaders(ctx, request);
        if (!(request instanceof FullHttpRequest full)) {
            ctx.write(new DefaultHttp2HeadersFrame(headers, false), promise);
            return;
        }
        if (!full.content().isReadable() && full.trailingHeaders().isEmpty()) {
            full.release();
            ctx.write(new DefaultHttp2HeadersFrame(headers, true), promise);
            return;
        }
        ctx.write(new DefaultHttp2HeadersFrame(headers, false), ctx.voidPromise());
        // the body and trailers as a last content: the codec makes DATA and trailing HEADERS of it
        ctx.write(new DefaultLastHttpContent(full.content(), full.trailingHeaders()), promise);
    }

    private Http2Headers requestHeaders(ChannelHandlerContext ctx, HttpRequest request) {
        Http2Headers out = new DefaultHttp2Headers(true, request.headers().size() + 4);
        out.method(request.method().asciiName());
        out.path(pathOf(request.uri()));
        boolean tls = ctx.channel().parent() != null && ctx.channel().parent().pipeline().get(SslHandler.class) != null;
        out.scheme(tls ? "https" : "http");
        String host = request.headers().get(HttpHeaderNames.HOST);
        out.authority(host == null || host.isEmpty() ? defaultAuthority : host);
        // drops Connection and what it names, Keep-Alive, Proxy-Connection, Transfer-Encoding,
        // Upgrade, Host and conversion headers; keeps only "trailers" of a TE
        HttpConversionUtil.toHttp2Headers(request.headers(), out);
        if (teTrailers) {
            out.set(HttpHeaderNames.TE, TRAILERS);
        }
        return out;
    }

    /** The {@code :path}: the target as sent, or the path and query of an absolute-form target. */
    static String pathOf(String uri) {
        if (uri.startsWith("/") || uri.equals("*")) {
            return uri;
        }
        int scheme = uri.indexOf("://");
        if (scheme < 0) {
            return uri;
        }
        int slash = uri.indexOf('/', scheme + 3);
        int query = uri.indexOf('?', scheme + 3);
        if (slash < 0 || (query >= 0 && query < slash)) {
            return query < 0 ? "/" : "/" + uri.substring(query);
        }
        return uri.substring(slash);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpResponse response)) {
            if (msg instanceof LastHttpContent last && !safeValues(last.trailingHeaders())) {
                last.trailingHeaders().clear(); // never relayed into an HTTP/1.1 trailer section
            }
            ctx.fireChannelRead(msg);
            return;
        }
        HttpHeaders headers = response.headers();
        headers.remove(HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text())
                .remove(HttpConversionUtil.ExtensionHeaderNames.SCHEME.text())
                .remove(HttpConversionUtil.ExtensionHeaderNames.PATH.text());
        if (!safeValues(headers)) {
            response.setDecoderResult(DecoderResult.failure(
                    new IllegalArgumentException("CR, LF or NUL in a response header from an HTTP/2 server")));
        }
        int status = response.status().code();
        if (response instanceof FullHttpResponse full) {
            HttpResponse head = new DefaultHttpResponse(full.protocolVersion(), full.status(), headers);
            head.setDecoderResult(full.decoderResult());
            LastHttpContent last = new DefaultLastHttpContent(full.content(), full.trailingHeaders());
            if (status >= 200 && isGrpc(headers)) {
                for (AsciiString name : GRPC_TRAILERS) {
                    List<String> values = headers.getAll(name);
                    if (!values.isEmpty()) {
                        last.trailingHeaders().add(name, values);
                        headers.remove(name);
                    }
                }
            }
            ctx.fireChannelRead(head);
            ctx.fireChannelRead(last);
        } else if (status >= 100 && status < 200) {
            // an interim response (103) has no body: the exchange waits for its end before the final one
            headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
            ctx.fireChannelRead(response);
            ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
        } else {
            ctx.fireChannelRead(response);
        }
    }

    private static boolean isGrpc(HttpHeaders headers) {
        String type = headers.get(HttpHeaderNames.CONTENT_TYPE);
        return type != null && type.regionMatches(true, 0, "application/grpc", 0, 16);
    }

    private static boolean safeValues(HttpHeaders headers) {
        Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
        while (it.hasNext()) {
            CharSequence v = it.next().getValue();
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c == '\r' || c == '\n' || c == 0) {
                    return false;
                }
            }
        }
        return true;
    }
}
