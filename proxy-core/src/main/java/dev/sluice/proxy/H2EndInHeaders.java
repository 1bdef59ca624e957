package dev.sluice.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Sits between a client stream's {@code Http2StreamFrameToHttpObjectCodec} and its
 * {@link HttpClientHandler}, so that a response without a body (a head, then an empty last
 * content without trailers) leaves as one HEADERS frame that ends the stream, not a HEADERS
 * frame and an empty DATA frame. The head waits here until the next write or flush: if that is
 * the empty end, the two become one {@link FullHttpResponse}; otherwise the head goes on first,
 * unchanged.
 *
 * <p>Only a final response written with a void promise waits (the exchange writes so); anything
 * else passes straight on. Ownership: the waiting head is written on, or released if the stream
 * ends first; an empty end merged into it is released here.
 */
final class H2EndInHeaders extends ChannelDuplexHandler {

    private HttpResponse head;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (head != null) {
            if (msg instanceof LastHttpContent last && !(msg instanceof HttpResponse)
                    && !last.content().isReadable() && last.trailingHeaders().isEmpty()) {
                HttpResponse h = head;
                head = null;
                FullHttpResponse full = new DefaultFullHttpResponse(h.protocolVersion(), h.status(),
                        Unpooled.EMPTY_BUFFER, h.headers(), last.trailingHeaders());
                last.release();
                ctx.write(full, promise);
                return;
            }
            writeHead(ctx);
        }
        if (msg instanceof HttpResponse response && !(msg instanceof LastHttpContent)
                && response.status().code() >= 200 && promise.isVoid()) {
            head = response;
            return;
        }
        ctx.write(msg, promise);
    }

    private void writeHead(ChannelHandlerContext ctx) {
        HttpResponse h = head;
        head = null;
        ctx.write(h, ctx.voidPromise());
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (head != null) {
            writeHead(ctx);
        }
        ctx.flush();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (head != null) {
            writeHead(ctx);
        }
        ctx.close(promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        HttpResponse h = head;
        head = null;
        ReferenceCountUtil.release(h);
    }
}
