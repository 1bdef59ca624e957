package dev.sluice.proxy;

import dev.sluice.routing.ServerState;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of an origin (backend) connection. While an {@link Exchange} owns the
 * connection, every decoded response object goes to it (ownership of the message moves with
 * it). While the connection idles in the {@link OriginPool}, anything the server sends is
 * dropped and released, and the connection is closed.
 */
final class OriginHandler extends ChannelInboundHandlerAdapter {

    private final ServerState server;
    /** The HTTP/1 codec before this handler; null on an HTTP/2 stream. */
    private final OriginConnectionCodec codec;
    /**
     * The {@link ServerState#addressVersion()} the connection was opened under, or -1: when a
     * slot's address changes, its pooled connections lead to the old address and are not reused.
     */
    private final int addressVersion;
    private Exchange exchange;
    private long idleSince;

    OriginHandler(ServerState server) {
        this(server, null, -1);
    }

    OriginHandler(ServerState server, OriginConnectionCodec codec, int addressVersion) {
        this.server = server;
        this.codec = codec;
        this.addressVersion = addressVersion;
    }

    int addressVersion() {
        return addressVersion;
    }

    /**
     * Whether the response to the request written next may come as a {@link RawResponse}: only
     * on an HTTP/1 connection.
     */
    void rawNext(boolean allowed) {
        if (codec != null) {
            codec.rawNext(allowed);
        }
    }

    /**
     * The handler of an origin connection: the pipeline's last handler, read without a scan of
     * the pipeline (this runs three times per request).
     */
    static OriginHandler of(Channel ch) {
        return ch.pipeline().last() instanceof OriginHandler h ? h : ch.pipeline().get(OriginHandler.class);
    }

    void attach(Exchange exchange) {
        this.exchange = exchange;
    }

    /** Detaches from its exchange; the caller then offers the channel to the pool. */
    void detach() {
        exchange = null;
        idleSince = EventClock.now();
    }

    long idleSince() {
        return idleSince;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Exchange e = exchange;
        if (e == null) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        e.onOriginMessage(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Exchange e = exchange;
        if (e != null) {
            e.onOriginReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Exchange e = exchange;
        if (e != null && ctx.channel().isWritable()) {
            e.onOriginWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Exchange e = exchange;
        exchange = null;
        if (e != null) {
            e.onOriginClosed();
        } else {
            OriginPool.current().remove(server, ctx.channel());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // I/O errors (reset, broken pipe) end the connection; channelInactive tells the exchange.
        ctx.close();
    }
}
