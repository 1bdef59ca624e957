package dev.sluice.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Relays bytes from its channel to a peer channel, with backpressure: reading stops while the
 * peer is not writable. Used for {@code mode tcp} and for upgraded (WebSocket) connections.
 * Messages received before {@link #link} are held and written on link. Ownership of each
 * received {@code ByteBuf} moves to the peer's write (or is released when the peer is gone).
 * Closes both sides after {@code idleTimeoutMs} without traffic in either direction.
 */
final class TunnelHandler extends ChannelInboundHandlerAdapter {

    private final long idleTimeoutMs;
    private final Activity activity;
    private final boolean timerOwner;
    private ChannelHandlerContext ctx;
    private Channel peer;
    private ArrayDeque<Object> held;
    private ScheduledFuture<?> idleTimer;

    /**
     * @param activity   shared by both directions of one tunnel (same event loop)
     * @param timerOwner whether this side runs the idle timer (one side per tunnel)
     */
    TunnelHandler(long idleTimeoutMs, Activity activity, boolean timerOwner) {
        this.idleTimeoutMs = idleTimeoutMs;
        this.activity = activity;
        this.timerOwner = timerOwner;
    }

    /** The time of the last traffic in either direction of a tunnel. */
    static final class Activity {
        long lastNanos = System.nanoTime();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Connects this side to {@code peer}; writes what was held and starts reading. */
    void link(Channel peer) {
        this.peer = peer;
        if (held != null) {
            Object m;
            while ((m = held.poll()) != null) {
                peer.write(m, peer.voidPromise());
            }
            peer.flush();
            held = null;
        }
        if (idleTimeoutMs > 0 && timerOwner) {
            scheduleIdleCheck(idleTimeoutMs);
        }
        if (!ctx.channel().isActive()) {
            closeOnFlush(peer);
            return;
        }
        ctx.channel().config().setAutoRead(peer.isWritable());
    }

    private void scheduleIdleCheck(long delayMs) {
        idleTimer = ctx.executor().schedule(this::checkIdle, delayMs, TimeUnit.MILLISECONDS);
    }

    private void checkIdle() {
        long idleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - activity.lastNanos);
        if (idleMs >= idleTimeoutMs) {
            ctx.close();
            if (peer != null) {
                peer.close();
            }
            return;
        }
        if (ctx.channel().isActive()) {
            scheduleIdleCheck(idleTimeoutMs - idleMs);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        activity.lastNanos = System.nanoTime();
        if (peer == null) {
            if (held == null) {
                held = new ArrayDeque<>(2);
            }
            held.add(msg);
            return;
        }
        if (!peer.isActive()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        peer.write(msg, peer.voidPromise());
        if (!peer.isWritable()) {
            // Backpressure: resumed by the peer's channelWritabilityChanged.
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (peer == null) {
            return;
        }
        peer.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // Our channel drained: let the peer read again.
        if (peer != null && ctx.channel().isWritable()) {
            peer.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (idleTimer != null) {
            idleTimer.cancel(false);
        }
        if (held != null) {
            held.forEach(ReferenceCountUtil::release);
            held = null;
        }
        if (peer != null) {
            closeOnFlush(peer);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            // An upgraded client connection allows half-closure; a tunnel ends on either close.
            ctx.close();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    static void closeOnFlush(Channel ch) {
        if (ch.isActive()) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
