package dev.sluice.proxy;

import dev.sluice.routing.ServerState;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.concurrent.FastThreadLocal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP/2 connections to {@code proto h2} servers, per event loop (a thread-local, so no lock)
 * and per server (keyed by its live state, stable across routing tables): usually one connection,
 * more only while all are at their stream limit. Each request gets a stream of one of them, set
 * up so that it carries HTTP/1.1 objects like an HTTP/1.1 origin connection
 * ({@link #streamPipeline}). Unlike {@link OriginPool}, connections are shared while in use.
 */
final class H2OriginPool {

    private static final FastThreadLocal<H2OriginPool> POOLS = new FastThreadLocal<>() {
        @Override
        protected H2OriginPool initialValue() {
            return new H2OriginPool();
        }
    };

    private final Map<ServerState, List<H2OriginConnection>> connections = new IdentityHashMap<>();
    private final Map<H2OriginConnection, ServerState> owners = new IdentityHashMap<>();

    /** The pool of the calling event loop. */
    static H2OriginPool current() {
        return POOLS.get();
    }

    /** Closes every connection of this loop's pool (the proxy is stopping); the closes to wait for. */
    List<ChannelFuture> closeAll() {
        List<H2OriginConnection> all = new ArrayList<>(owners.keySet());
        connections.clear();
        owners.clear();
        List<ChannelFuture> closing = new ArrayList<>(all.size());
        for (H2OriginConnection c : all) {
            ChannelFuture f = c.closeNow();
            if (f != null) {
                closing.add(f);
            }
        }
        return closing;
    }

    /**
     * Opens a stream to {@code server} (at {@code address}, known under address version
     * {@code version}) on {@code loop}: on a connection with room, else on a new one.
     * {@code listener} gets the stream, or the reason the connection could not be made.
     */
    void openStream(ProxyRuntime runtime, EventLoop loop, ByteBufAllocator alloc, ServerState server, int version,
                    InetSocketAddress address, long connectTimeoutMs, ChannelHandler streamInit,
                    H2OriginConnection.StreamListener listener) {
        List<H2OriginConnection> list = connections.computeIfAbsent(server, k -> new ArrayList<>(2));
        int learned = -1;
        for (H2OriginConnection c : list) {
            if (c.addressVersion() == version && c.hasRoom()) {
                c.openStream(streamInit, listener);
                return;
            }
            learned = Math.max(learned, c.learnedMaxStreams());
        }
        // all full: another connection, which takes what the server allowed the others (its
        // SETTINGS are not known before a round trip, and a burst would exceed a small limit)
        H2OriginConnection c = new H2OriginConnection(this, version,
                learned > 0 ? learned : H2OriginConnection.STREAMS_BEFORE_SETTINGS);
        list.add(c);
        owners.put(c, server);
        c.openStream(streamInit, listener); // waits for the connect
        runtime.connect(loop, address, connectTimeoutMs, alloc, c::initChannel, c::onConnected);
    }

    /** No new stream goes to {@code c} any more (closed, failed, draining or idle). */
    void forget(H2OriginConnection c) {
        ServerState server = owners.remove(c);
        if (server == null) {
            return;
        }
        List<H2OriginConnection> list = connections.get(server);
        if (list != null) {
            list.remove(c);
            if (list.isEmpty()) {
                connections.remove(server);
            }
        }
    }

    /**
     * A request stream's pipeline: frames to and from HTTP/1.1 objects, {@link H2StreamHeads}
     * for what that conversion leaves out, and the {@link OriginHandler} the exchange attaches to.
     */
    static ChannelHandler streamPipeline(ServerState server, boolean teTrailers, String defaultAuthority) {
        return new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel ch) {
                ch.pipeline().addLast("http", new Http2StreamFrameToHttpObjectCodec(false, true));
                ch.pipeline().addLast("h2-heads", new H2StreamHeads(teTrailers, defaultAuthority));
                ch.pipeline().addLast("origin", new OriginHandler(server));
            }
        };
    }
}
