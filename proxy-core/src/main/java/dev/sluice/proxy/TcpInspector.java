package dev.sluice.proxy;

import dev.sluice.routing.TcpInspection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * {@code tcp-request inspect-delay} and {@code tcp-request content} rules of a {@code mode tcp}
 * frontend: holds what the client sends, reads its first TLS record ({@link ClientHello}) and
 * evaluates the rules each time data arrives, until one accepts or rejects. A rule that needs the
 * ClientHello waits for it until the delay expires, the client's data refutes it, or the buffer
 * is full ({@link TcpInspection#maxBytes()}); then the rules are evaluated one last time with what
 * is known, as HAProxy does. On accept, {@link TcpClientHandler#route} routes the connection and
 * the held bytes go down the pipeline unchanged (the handler that receives them owns them); this
 * handler then leaves the pipeline. Held bytes are released when the connection closes first.
 */
final class TcpInspector extends ChannelInboundHandlerAdapter {

    private final TcpInspection inspection;
    private final TcpClientHandler proxy;
    private CompositeByteBuf held;
    private ScheduledFuture<?> timer;
    private boolean expired;
    private boolean done;

    TcpInspector(TcpInspection inspection, TcpClientHandler proxy) {
        this.inspection = inspection;
        this.proxy = proxy;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        held = ctx.alloc().compositeBuffer(64);
        if (inspection.delayMs() > 0) {
            timer = ctx.executor().schedule(() -> {
                expired = true;
                evaluate(ctx);
            }, inspection.delayMs(), TimeUnit.MILLISECONDS);
        }
        evaluate(ctx);
        if (!done) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf) || done) {
            ctx.fireChannelRead(msg);
            return;
        }
        held.addComponent(true, buf);
        evaluate(ctx);
    }

    private void evaluate(ChannelHandlerContext ctx) {
        if (done || !ctx.channel().isActive()) {
            return;
        }
        boolean full = held.readableBytes() >= inspection.maxBytes();
        boolean last = expired || inspection.delayMs() == 0 || full;
        ClientHello hello = ClientHello.parse(full ? held.slice(held.readerIndex(), inspection.maxBytes()) : held);
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
        TcpClientHandler.ConnectionView view = new TcpClientHandler.ConnectionView(remote.getAddress(),
                local.getPort(), hello.sni(), false, hello.type(), hello.state() == ClientHello.State.PENDING && !last, null);
        TcpInspection.Verdict verdict = inspection.evaluate(view);
        if (verdict == TcpInspection.Verdict.WAIT) {
            return;
        }
        done = true;
        cancelTimer();
        ctx.channel().config().setAutoRead(false);
        if (verdict == TcpInspection.Verdict.REJECT) {
            ctx.close();
            return;
        }
        proxy.route(view);
        ByteBuf bytes = held;
        held = null;
        if (bytes.isReadable()) {
            ctx.fireChannelRead(bytes);
        } else {
            bytes.release();
        }
        ctx.pipeline().remove(this);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimer();
        if (held != null) {
            ReferenceCountUtil.release(held);
            held = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        done = true;
        handlerRemoved(ctx);
        ctx.fireChannelInactive();
    }
}
