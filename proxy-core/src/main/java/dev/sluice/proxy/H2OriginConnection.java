package dev.sluice.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/2 connection to an origin server ({@code proto h2}; without TLS h2c with prior
 * knowledge), shared by the requests of one event loop: each request is a stream of it. Lives on
 * that event loop, so no lock. It is the last handler of the connection's pipeline (after the
 * frame codec and the multiplexer), where connection-level frames end up.
 *
 * <p>Streams are counted from the moment one is asked for, so the connection never takes more
 * than the server's {@code SETTINGS_MAX_CONCURRENT_STREAMS} (and at most {@link #MAX_STREAMS};
 * until the server's SETTINGS arrive, what another connection to it learned, else
 * {@link #STREAMS_BEFORE_SETTINGS});
 * the pool opens another connection when all are full. After a GOAWAY no new stream starts on
 * it; streams the server will not process are closed by the codec (their exchanges answer 502).
 * A connection without streams for {@link OriginPool#MAX_IDLE_NANOS} is closed.
 *
 * <p>Ownership: connection-level frames (SETTINGS, PING, GOAWAY) arriving here are released.
 */
final class H2OriginConnection extends ChannelInboundHandlerAdapter {

    /** What a caller of {@link #openStream} is told: a stream channel, or why there is none. */
    interface StreamListener {
        void onStream(Http2StreamChannel stream, Throwable cause);
    }

    /** Streams per connection even when the server allows more: a new connection spreads the load. */
    static final int MAX_STREAMS = 128;

    /**
     * Streams opened before the server's SETTINGS arrive: RFC 9113 recommends servers allow at
     * least 100, so a burst at connection start stays within the limit it is about to announce.
     */
    static final int STREAMS_BEFORE_SETTINGS = 100;

    /**
     * What the server may send on one stream before Sluice reads it: the most a response waiting
     * for a slow client holds in memory (like a socket buffer on an HTTP/1.1 connection).
     */
    static final int STREAM_WINDOW = 256 * 1024;

    /**
     * The connection's receive window: larger than HTTP/2's default 64 KiB so that a few streams
     * paused by slow clients do not stall the other streams of the connection.
     */
    static final int CONNECTION_WINDOW = 16 * 1024 * 1024;

    private final H2OriginPool pool;
    private final int addressVersion;
    private final int streamsBeforeSettings;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>(2);
    private Channel channel;
    private Http2FrameCodec codec;
    private boolean connected;
    private boolean failed;
    private Throwable connectFailure;
    private boolean draining;
    private boolean settingsReceived;
    private int streams;
    private long idleSince = System.nanoTime();
    private ScheduledFuture<?> idleCheck;

    /**
     * @param streamsBeforeSettings streams it takes until the server's SETTINGS arrive: what another
     *                              connection to the server learned, else {@link #STREAMS_BEFORE_SETTINGS}
     */
    H2OriginConnection(H2OriginPool pool, int addressVersion, int streamsBeforeSettings) {
        this.pool = pool;
        this.addressVersion = addressVersion;
        this.streamsBeforeSettings = streamsBeforeSettings;
    }

    /** The handlers of a new connection's pipeline, this one last. */
    void initChannel(Channel ch) {
        channel = ch;
        Http2FrameCodecBuilder builder = Http2FrameCodecBuilder.forClient();
        // no server push (nothing would take it); response headers as large as HTTP/1.1's limit
        builder.initialSettings(Http2Settings.defaultSettings().pushEnabled(false).maxHeaderListSize(65536)
                .initialWindowSize(STREAM_WINDOW));
        codec = builder.build();
        ch.pipeline().addLast("h2", codec);
        ch.pipeline().addLast("h2-streams", new Http2MultiplexHandler(new RefusePushedStreams()));
        ch.pipeline().addLast("h2-origin", this);
    }

    int addressVersion() {
        return addressVersion;
    }

    /** Whether a new stream may start here now (or once the connection is up). */
    boolean hasRoom() {
        if (failed || draining || (connected && !channel.isActive())) {
            return false;
        }
        return streams < maxStreams();
    }

    /** The server's stream limit as this connection learned it from SETTINGS, or -1 before. */
    int learnedMaxStreams() {
        return settingsReceived ? maxStreams() : -1;
    }

    private int maxStreams() {
        if (!settingsReceived) {
            return streamsBeforeSettings;
        }
        return Math.min(MAX_STREAMS, codec.connection().local().maxActiveStreams());
    }

    /** The TCP connect finished: streams asked for meanwhile start now, or learn why they cannot. */
    void onConnected(ChannelFuture f) {
        if (f.isSuccess()) {
            connected = true;
            // a WINDOW_UPDATE for the connection itself (no stream): the codec raises its window
            channel.writeAndFlush(new DefaultHttp2WindowUpdateFrame(CONNECTION_WINDOW - Http2CodecUtil.DEFAULT_WINDOW_SIZE),
                    channel.voidPromise());
        } else {
            failed = true;
            connectFailure = f.cause();
            pool.forget(this);
        }
        Runnable r;
        while ((r = waiting.poll()) != null) {
            r.run();
        }
    }

    /**
     * Opens a stream whose pipeline {@code init} sets up, or tells {@code listener} the connect
     * failure ({@link #hasRoom()} was true; the stream is counted from now).
     */
    void openStream(ChannelHandler init, StreamListener listener) {
        streams++; // a pending idle check sees it and leaves the connection open
        if (!connected && !failed) {
            waiting.add(() -> openStream0(init, listener));
            return;
        }
        openStream0(init, listener);
    }

    private void openStream0(ChannelHandler init, StreamListener listener) {
        if (failed || !channel.isActive()) {
            streamEnded();
            listener.onStream(null, connectFailure != null ? connectFailure
                    : new java.io.IOException("HTTP/2 connection to the server closed"));
            return;
        }
        Future<Http2StreamChannel> opened = new Http2StreamChannelBootstrap(channel)
                .option(ChannelOption.ALLOCATOR, channel.alloc()).handler(init).open();
        opened.addListener(f -> {
            if (!f.isSuccess()) {
                streamEnded();
                listener.onStream(null, f.cause());
                return;
            }
            Http2StreamChannel stream = opened.getNow();
            stream.closeFuture().addListener(c -> streamEnded());
            listener.onStream(stream, null);
        });
    }

    private void streamEnded() {
        streams--;
        if (streams > 0) {
            return;
        }
        if (draining) {
            channel.close();
            return;
        }
        idleSince = System.nanoTime();
        if (connected && channel.isActive() && idleCheck == null) {
            idleCheck = channel.eventLoop().schedule(this::closeIfIdle, OriginPool.MAX_IDLE_NANOS, TimeUnit.NANOSECONDS);
        }
    }

    /** Closes the connection (the proxy is stopping); null when it was never opened. */
    ChannelFuture closeNow() {
        return channel == null ? null : channel.close();
    }

    private void closeIfIdle() {
        idleCheck = null;
        if (streams > 0 || !channel.isActive()) {
            return;
        }
        long idle = System.nanoTime() - idleSince;
        if (idle >= OriginPool.MAX_IDLE_NANOS) {
            pool.forget(this);
            channel.close();
        } else {
            idleCheck = channel.eventLoop().schedule(this::closeIfIdle, OriginPool.MAX_IDLE_NANOS - idle,
                    TimeUnit.NANOSECONDS);
        }
    }

    private void cancelIdleCheck() {
        if (idleCheck != null) {
            idleCheck.cancel(false);
            idleCheck = null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2SettingsFrame) {
            settingsReceived = true; // the codec has applied them: maxActiveStreams is the server's
        } else if (msg instanceof Http2GoAwayFrame) {
            // The server stops taking streams: the ones it will still answer go on, new ones go elsewhere.
            draining = true;
            pool.forget(this);
            if (streams == 0) {
                ctx.close();
            }
        }
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelIdleCheck();
        pool.forget(this);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a connection error (the codec has sent GOAWAY): its streams are closed with it
        ctx.close();
    }

    /** Push is disabled in our SETTINGS; a stream the server opens anyway is closed. */
    @ChannelHandler.Sharable
    private static final class RefusePushedStreams extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.close();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }
}
