package dev.sluice.proxy;

import dev.sluice.routing.Timeouts;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2Stream;

import java.util.function.Supplier;

/**
 * The wait of an HTTP/2 client connection for its next stream, timed as HAProxy does: before the
 * first stream {@code timeout http-request}, and once no stream is open any more
 * {@code timeout http-keep-alive} (each with HAProxy's fallbacks, {@link Timeouts}). When the wait
 * expires the connection is closed as a server closes an idle HTTP/2 connection: a GOAWAY
 * (NO_ERROR) naming the last stream it took, then the close. While a stream is open there is no
 * wait: each stream is timed by its own handler ({@code timeout client}, {@code timeout server}).
 * When Sluice stops ({@link ProxyServer#DRAIN}) the GOAWAY is sent at once and the connection
 * ends when its open streams have.
 *
 * <p>One per HTTP/2 connection, after its {@link Http2FrameCodec}, whose streams it counts; used
 * only from the connection's event loop; its one {@link LazyTimer} is moved, not scheduled anew,
 * per stream. It holds no messages.
 */
final class H2IdleTimeout extends ChannelInboundHandlerAdapter {

    private final Supplier<Timeouts> timeouts;
    private ChannelHandlerContext ctx;
    private Http2Connection connection;
    private LazyTimer timer;
    private boolean firstStream = true;
    /** Sluice is stopping: the GOAWAY is sent, the connection closes once no stream is open. */
    private boolean draining;

    /** @param timeouts the connection's frontend's timeouts as of now, or null if it has none any more */
    H2IdleTimeout(Supplier<Timeouts> timeouts) {
        this.timeouts = timeouts;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.timer = new LazyTimer(ctx.executor(), this::onTimeout);
        Http2FrameCodec codec = ctx.pipeline().get(Http2FrameCodec.class);
        if (codec == null) {
            throw new IllegalStateException("H2IdleTimeout needs an Http2FrameCodec before it");
        }
        connection = codec.connection();
        connection.addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamActive(Http2Stream stream) {
                firstStream = false;
                timer.clear();
            }

            @Override
            public void onStreamClosed(Http2Stream stream) {
                if (connection.numActiveStreams() == 0) {
                    if (draining) {
                        ctx.close();
                    } else {
                        arm();
                    }
                }
            }
        });
        arm();
    }

    private void arm() {
        Timeouts t = timeouts.get();
        if (t != null) {
            timer.set(firstStream ? t.effectiveHttpRequestMs() : t.effectiveKeepAliveMs());
        }
    }

    private void onTimeout() {
        if (connection.numActiveStreams() == 0 && ctx.channel().isActive()) {
            // the codec's close: GOAWAY (NO_ERROR, the last stream taken), then the connection
            ctx.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ProxyServer.DRAIN) {
            // GOAWAY (NO_ERROR, the last stream taken) now; the close once no stream is open
            draining = true;
            ctx.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
            if (connection.numActiveStreams() == 0) {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        timer.cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        timer.cancel();
    }
}
