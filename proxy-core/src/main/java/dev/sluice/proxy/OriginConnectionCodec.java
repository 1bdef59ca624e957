package dev.sluice.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The HTTP/1 codec of an origin connection, as Netty's {@code HttpClientCodec} does it (without
 * its missing-response counting, which Sluice does not use), but as two plain handlers instead
 * of one {@code CombinedChannelDuplexHandler} (see {@link ClientConnectionCodec}). The encoder
 * queues each request's method for the decoder: a response to {@code HEAD} has no body, and after
 * a {@code 200} to {@code CONNECT} the rest of the connection's bytes pass through undecoded. A
 * final response decoded whole in one read is handed on as one {@link FullHttpResponse}.
 */
final class OriginConnectionCodec {

    /** Small at first: an idle connection keeps it (it grows with pipelining). */
    private final ArrayDeque<HttpMethod> methods = new ArrayDeque<>(2);
    private boolean done;
    /** Whether the next final response may be read as a {@link RawResponse}; one response at a time. */
    private boolean rawNext;
    /** Whether the decoder stands between two responses (nothing of the next one read yet). */
    private boolean betweenResponses = true;

    private OriginConnectionCodec() {
    }

    /** Adds the decoder and the encoder at the end of {@code pipeline}; returns the codec. */
    static OriginConnectionCodec addLast(ChannelPipeline pipeline, HttpDecoderConfig config) {
        OriginConnectionCodec codec = new OriginConnectionCodec();
        pipeline.addLast(codec.new Decoder(config), codec.new Encoder());
        return codec;
    }

    /**
     * Whether the response to the request written next may come as a {@link RawResponse} (when
     * its head passes to the client unchanged but for its hop-by-hop lines); set before each
     * request.
     */
    void rawNext(boolean allowed) {
        rawNext = allowed;
    }

    private final class Encoder extends HttpRequestEncoder {
        @Override
        protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) throws Exception {
            if (msg instanceof HttpRequest request) {
                methods.add(request.method());
            }
            super.encode(ctx, msg, out);
        }
    }

    private final class Decoder extends HttpResponseDecoder {
        Decoder(HttpDecoderConfig config) {
            super(config);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
            if (done) {
                int readable = actualReadableBytes();
                if (readable > 0) {
                    out.add(buffer.readBytes(readable));
                }
                return;
            }
            if (rawNext && betweenResponses && isPlainMethod(methods.peek())) {
                RawResponse raw = RawResponse.read(buffer);
                if (raw != null) {
                    methods.poll();
                    rawNext = false;
                    out.add(raw);
                    return;
                }
            }
            int start = out.size();
            int readerIndex = buffer.readerIndex();
            super.decode(ctx, buffer, out);
            if (out.size() == start + 1 && buffer.isReadable() && out.get(start) instanceof HttpResponse
                    && !(out.get(start) instanceof LastHttpContent)) {
                // The head alone: its body follows in the buffer. Decoding it now lets a body read
                // whole with its head (most small responses) go on with it as one message.
                super.decode(ctx, buffer, out);
            }
            if (out.size() > start) {
                Object last = out.get(out.size() - 1);
                betweenResponses = last instanceof LastHttpContent end && end.decoderResult().isSuccess();
            } else if (buffer.readerIndex() != readerIndex) {
                betweenResponses = false; // a part of a head, kept inside Netty's decoder
            }
            if (out.size() == start + 2) {
                mergeHeadAndEnd(out, start);
            }
        }

        /** A request whose response frames its body as any other (not HEAD, not CONNECT). */
        private boolean isPlainMethod(HttpMethod method) {
            return method != null && !HttpMethod.HEAD.equals(method) && !HttpMethod.CONNECT.equals(method);
        }

        @Override
        protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
            AsciiString known = KnownWords.headerName(sb, start, length);
            return known != null ? known : super.splitHeaderName(sb, start, length);
        }

        @Override
        protected String splitFirstWordInitialLine(byte[] sb, int start, int length) {
            String known = KnownWords.version(sb, start, length);
            return known != null ? known : super.splitFirstWordInitialLine(sb, start, length);
        }

        @Override
        protected String splitSecondWordInitialLine(byte[] sb, int start, int length) {
            String known = KnownWords.statusCode(sb, start, length);
            return known != null ? known : super.splitSecondWordInitialLine(sb, start, length);
        }

        @Override
        protected String splitThirdWordInitialLine(byte[] sb, int start, int length) {
            String known = KnownWords.reason(sb, start, length);
            return known != null ? known : super.splitThirdWordInitialLine(sb, start, length);
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpMessage msg) {
            HttpResponse response = (HttpResponse) msg;
            if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                // an interim response answers no request of the queue
                return super.isContentAlwaysEmpty(msg);
            }
            // null when a server sent more responses than it was sent requests
            HttpMethod method = methods.poll();
            rawNext = false;
            if (HttpMethod.HEAD.equals(method)) {
                return true;
            }
            if (response.status().code() == 200 && HttpMethod.CONNECT.equals(method)) {
                done = true;
                methods.clear();
                return true;
            }
            return super.isContentAlwaysEmpty(msg);
        }
    }

    /**
     * A final response's head followed at once by its end (an empty body, a body read whole,
     * an empty chunked body) becomes one {@link FullHttpResponse}: the client's encoder then
     * writes head and body as one buffer, one pipeline pass instead of two on each side. The
     * head's headers and the end's content and trailers are moved, not copied. A 1xx and a
     * message that failed to decode stay as they are.
     */
    private static void mergeHeadAndEnd(List<Object> out, int start) {
        if (!(out.get(start) instanceof HttpResponse head) || head instanceof LastHttpContent
                || !(out.get(start + 1) instanceof LastHttpContent end)
                || head.status().code() < 200 || head.decoderResult().isFailure() || end.decoderResult().isFailure()) {
            return;
        }
        FullHttpResponse full = new DefaultFullHttpResponse(head.protocolVersion(), head.status(), end.content(),
                head.headers(), end.trailingHeaders());
        full.setDecoderResult(head.decoderResult());
        out.set(start, full);
        out.remove(start + 1);
    }
}
