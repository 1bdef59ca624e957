package dev.sluice.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The HTTP/1 codec of a client connection, as Netty's {@code HttpServerCodec} does it, but as two
 * plain handlers in the pipeline ({@link #DECODER} and {@link #ENCODER}) instead of one
 * {@code CombinedChannelDuplexHandler}, whose delegating context costs every read and write of
 * every request a second dispatch. The two share a queue of the decoded requests' methods, so a
 * response to {@code HEAD} is encoded without a body and a {@code 2xx} to {@code CONNECT} without
 * {@code Transfer-Encoding}; at most {@code maxPipelineDepth} requests may wait for their
 * responses (more is an error, and the connection closes after the next response), as
 * {@code HttpServerCodec} does. (A request with both {@code Transfer-Encoding} and
 * {@code Content-Length} is refused by the decoder, RFC 9112 section 6.3, and answered 400 and
 * closed by the proxy: {@code HttpServerCodec}'s close after it is not needed.) A request without
 * a body is handed on as one {@link FullHttpRequest}.
 */
final class ClientConnectionCodec {

    static final String DECODER = "http";
    static final String ENCODER = "http-encoder";

    /** Small at first: an idle connection keeps it (it grows with pipelining). */
    private final ArrayDeque<HttpMethod> methods = new ArrayDeque<>(2);
    private final int maxPipelineDepth;
    private boolean mustCloseAfterResponse;

    private ClientConnectionCodec(int maxPipelineDepth) {
        this.maxPipelineDepth = maxPipelineDepth;
    }

    /** Adds the decoder and the encoder at the end of {@code pipeline}. */
    static void addLast(ChannelPipeline pipeline, HttpDecoderConfig config, int maxPipelineDepth) {
        ClientConnectionCodec codec = new ClientConnectionCodec(maxPipelineDepth);
        pipeline.addLast(DECODER, codec.new Decoder(config));
        pipeline.addLast(ENCODER, codec.new Encoder());
    }

    /** Removes both from {@code pipeline} (an ALPN switch to HTTP/2). */
    static void remove(ChannelPipeline pipeline) {
        pipeline.remove(DECODER);
        pipeline.remove(ENCODER);
    }

    private final class Decoder extends HttpRequestDecoder {
        private boolean discard;

        Decoder(HttpDecoderConfig config) {
            super(config);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
            if (discard) {
                buffer.skipBytes(buffer.readableBytes());
                return;
            }
            int oldSize = out.size();
            super.decode(ctx, buffer, out);
            int size = out.size();
            for (int i = oldSize; i < size; i++) {
                if (out.get(i) instanceof HttpRequest request) {
                    if (methods.size() >= maxPipelineDepth) {
                        mustCloseAfterResponse = true;
                        discard = true;
                        // the requests before this one are still delivered; this one and what follows are not
                        for (int j = size - 1; j >= i; j--) {
                            ReferenceCountUtil.release(out.remove(j));
                        }
                        throw new IllegalStateException("maxPipelineDepth exceeded: " + maxPipelineDepth);
                    }
                    methods.add(request.method());
                }
            }
            if (size == oldSize + 2) {
                mergeHeadAndEmptyEnd(out, oldSize);
            }
        }

        @Override
        protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
            AsciiString known = KnownWords.headerName(sb, start, length);
            return known != null ? known : super.splitHeaderName(sb, start, length);
        }

        @Override
        protected String splitFirstWordInitialLine(byte[] sb, int start, int length) {
            String known = KnownWords.method(sb, start, length);
            return known != null ? known : super.splitFirstWordInitialLine(sb, start, length);
        }

    }

    private final class Encoder extends HttpResponseEncoder {
        private HttpMethod method;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            boolean whole = msg instanceof LastHttpContent || msg instanceof RawResponse;
            if (mustCloseAfterResponse && whole) {
                mustCloseAfterResponse = false;
                promise = promise.unvoid().addListener(ChannelFutureListener.CLOSE);
            }
            if (msg instanceof RawResponse raw) {
                // a whole final response, already bytes (never one to HEAD or CONNECT)
                method = methods.poll();
                ByteBuf body = raw.body();
                if (body == null) {
                    ctx.write(raw.content(), promise);
                } else {
                    ctx.write(raw.content(), ctx.voidPromise());
                    ctx.write(body, promise);
                }
                return;
            }
            super.write(ctx, msg, promise);
        }

        @Override
        protected void sanitizeHeadersBeforeEncode(HttpResponse msg, boolean isAlwaysEmpty) {
            if (!isAlwaysEmpty && HttpMethod.CONNECT.equals(method)
                    && msg.status().codeClass() == HttpStatusClass.SUCCESS) {
                msg.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
                return;
            }
            super.sanitizeHeadersBeforeEncode(msg, isAlwaysEmpty);
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse msg) {
            if (msg.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                // an interim response answers no request of the queue
                return super.isContentAlwaysEmpty(msg);
            }
            method = methods.poll();
            return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(msg);
        }
    }

    /**
     * A request without a body (its head, then at once an empty end without trailers: most
     * requests) becomes one {@link FullHttpRequest}, as HTTP/2 streams already give it: one
     * pipeline pass instead of two here, and the origin's encoder writes it in one go. The
     * head's headers are moved, not copied.
     */
    private static void mergeHeadAndEmptyEnd(List<Object> out, int start) {
        if (!(out.get(start) instanceof HttpRequest head) || head instanceof LastHttpContent
                || !(out.get(start + 1) instanceof LastHttpContent end) || end.content().isReadable()
                || !end.trailingHeaders().isEmpty() || head.decoderResult().isFailure() || end.decoderResult().isFailure()) {
            return;
        }
        FullHttpRequest full = new DefaultFullHttpRequest(head.protocolVersion(), head.method(), head.uri(),
                Unpooled.EMPTY_BUFFER, head.headers(), EmptyHttpHeaders.INSTANCE);
        full.setDecoderResult(head.decoderResult());
        end.release();
        out.set(start, full);
        out.remove(start + 1);
    }
}
