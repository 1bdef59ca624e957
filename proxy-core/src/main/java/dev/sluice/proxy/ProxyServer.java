package dev.sluice.proxy;

import static java.util.Objects.requireNonNull;

import dev.sluice.routing.Bind;
import dev.sluice.routing.Frontend;
import dev.sluice.routing.HttpLimits;
import dev.sluice.routing.Mode;
import dev.sluice.routing.RoutingTable;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The data plane: one listening socket per {@code bind} of every frontend, on one event-loop
 * group with a loop per core. {@link #update} publishes a new routing table (one volatile
 * write); requests in flight finish on the table they started with.
 */
public final class ProxyServer implements AutoCloseable {

    /**
     * Requests the codec may decode ahead of their responses. Sluice bounds pipelining itself
     * (the client is not read while a request waits), so at most one read's worth is decoded
     * ahead: 64 KiB plus a partial head, at 18 bytes or more per request. Netty's default
     * (128) would close a deeply pipelining client without answering what it had accepted.
     */
    static final int MAX_DECODED_PIPELINE = 8192;
    /** How long {@link #close} waits for connections to close, per step. */
    private static final long CLOSE_WAIT_MS = 2000;
    /**
     * The user event {@link #drain} fires on each client connection: an HTTP/1 connection ends
     * after the exchange in flight (at once when idle), an HTTP/2 connection sends GOAWAY and ends
     * after its open streams; others (tunnels, tcp) go on until they end or the drain does.
     */
    static final Object DRAIN = new Object() {
        @Override
        public String toString() {
            return "DRAIN";
        }
    };

    private final Transport transport;
    private final EventLoopGroup group;
    private final ProxyRuntime runtime;
    /**
     * The pooled allocator, not Netty 4.2's default adaptive one: the adaptive allocator took 5 %
     * less CPU per keep-alive request but doubled the latency tail at a fixed rate (p99.9 and
     * max; benchmarks/README.md, "The adaptive allocator").
     */
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    /** Every open client connection (a group drops a connection when it closes), for {@link #close}. */
    private final ChannelGroup clients = new DefaultChannelGroup("sluice-clients", GlobalEventExecutor.INSTANCE);
    private final Map<BindKey, Channel> listeners = new LinkedHashMap<>();
    /** Set by {@link #drain}: no bind is opened any more. */
    private boolean draining;
    private final ConnectionLimit globalLimit = ConnectionLimit.global();
    private final Map<String, ConnectionLimit> connectionLimits = new java.util.concurrent.ConcurrentHashMap<>();

    /** {@code null}: TLS binds are not opened. */
    private final TlsContexts tls;
    /** The contexts of each open TLS bind, from {@link TlsContexts#forBind} when its table was published. */
    private volatile Map<BindKey, TlsContexts> bindContexts = Map.of();

    private ProxyServer(RoutingTable table, int threads, TlsContexts tls) {
        this.tls = tls;
        this.transport = Transport.best();
        this.group = transport.newGroup(threads, "sluice-proxy");
        this.runtime = new ProxyRuntime(transport, table);
        runtime.loops(group);
    }

    /**
     * Binds every frontend of {@code table} and starts serving. On a bind failure everything
     * opened so far is closed and a {@link BindFailedException} names the port.
     */
    public static ProxyServer start(RoutingTable table) throws BindFailedException {
        return start(table, Runtime.getRuntime().availableProcessors());
    }

    public static ProxyServer start(RoutingTable table, int threads) throws BindFailedException {
        return start(table, threads, null);
    }

    /**
     * Like {@link #start(RoutingTable, int)}; {@code ssl} binds terminate TLS with certificates
     * from {@code tls} ({@code null}: they are not opened): http frontends route the deciphered
     * requests, tcp frontends tunnel the deciphered bytes.
     */
    public static ProxyServer start(RoutingTable table, int threads, TlsContexts tls) throws BindFailedException {
        requireNonNull(table, "table");
        ProxyServer server = new ProxyServer(table, threads, tls);
        try {
            server.bindAll(table);
        } catch (BindFailedException | RuntimeException e) {
            server.close(); // also when a TLS bind's settings cannot be used (TlsContexts.forBind)
            throw e;
        }
        return server;
    }

    public Transport transport() {
        return transport;
    }

    public RoutingTable table() {
        return runtime.table();
    }

    /** Serves the statistics on every http frontend at {@code stats.uri()} ({@code null}: not). */
    public void frontendStats(FrontendStats stats) {
        runtime.frontendStats(stats);
    }

    /** Starts writing one access-log line per request to {@code log} ({@code null}: stops). */
    public void accessLog(AccessLog log) {
        runtime.accessLog(log);
    }

    /**
     * Publishes {@code table}: opens the binds it adds, then swaps the table, then closes the
     * binds it no longer has and waits until they are closed (connections already open on them
     * finish normally). Waits: not for an event loop's thread.
     */
    public synchronized void update(RoutingTable table) throws BindFailedException {
        requireNonNull(table, "table");
        List<BindKey> wanted = bindKeys(table);
        Map<BindKey, TlsContexts> contexts = bindContexts(table);
        applyLimits(table);
        bindContexts = contexts;
        List<BindKey> opened = new ArrayList<>();
        try {
            for (BindKey key : wanted) {
                if (!draining && !listeners.containsKey(key)) {
                    listeners.put(key, bind(key));
                    opened.add(key);
                }
            }
        } catch (BindFailedException e) {
            for (BindKey key : opened) {
                listeners.remove(key).close();
            }
            throw e;
        }
        runtime.setTable(table);
        applyLimits(table);
        // closed before the change is acknowledged: a removed port refuses connections from then on
        listeners.entrySet().removeIf(entry -> {
            if (!wanted.contains(entry.getKey())) {
                entry.getValue().close().awaitUninterruptibly(5, TimeUnit.SECONDS);
                return true;
            }
            return false;
        });
    }

    /** The ports actually bound for {@code frontend}, in bind order (useful with port 0). */
    public synchronized List<Integer> ports(String frontend) {
        List<Integer> ports = new ArrayList<>();
        for (Map.Entry<BindKey, Channel> e : listeners.entrySet()) {
            if (e.getKey().frontend().equals(frontend)) {
                ports.add(((InetSocketAddress) e.getValue().localAddress()).getPort());
            }
        }
        return ports;
    }

    private synchronized void bindAll(RoutingTable table) throws BindFailedException {
        bindContexts = bindContexts(table);
        applyLimits(table);
        for (BindKey key : bindKeys(table)) {
            listeners.put(key, bind(key));
        }
    }

    private void applyLimits(RoutingTable table) {
        globalLimit.setMax(table.maxconn());
        for (Frontend f : table.frontends()) {
            connectionLimits.computeIfAbsent(f.name(), k -> globalLimit.child()).setMax(f.maxconn());
        }
    }

    private List<BindKey> bindKeys(RoutingTable table) {
        List<BindKey> keys = new ArrayList<>();
        for (Frontend f : table.frontends()) {
            for (Bind b : f.binds()) {
                if (b.ssl() && tls == null) {
                    continue; // never serve plain text on a TLS bind
                }
                keys.add(new BindKey(f.name(), f.mode(), b.host(), b.port(), b.ssl()));
            }
        }
        return keys;
    }

    /** Each TLS bind's contexts, built now (off the event loops) so that no handshake waits for them. */
    private Map<BindKey, TlsContexts> bindContexts(RoutingTable table) {
        Map<BindKey, TlsContexts> out = new java.util.HashMap<>();
        if (tls == null) {
            return out;
        }
        for (Frontend f : table.frontends()) {
            for (Bind b : f.binds()) {
                if (b.ssl()) {
                    out.put(new BindKey(f.name(), f.mode(), b.host(), b.port(), true), tls.forBind(b.tls()));
                }
            }
        }
        return Map.copyOf(out);
    }

    private Channel bind(BindKey key) throws BindFailedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                // no TCP_NODELAY option: Netty's socket channels enable it themselves where the
                // platform allows (PlatformDependent.canEnableTcpNoDelayByDefault: all but
                // Android), and setting it again costs a setsockopt per accepted connection
                .childOption(ChannelOption.ALLOCATOR, alloc)
                .childHandler(key.mode() == Mode.TCP ? tcpInitializer(key) : httpInitializer(key));
        ConnectionLimit limit = connectionLimits.computeIfAbsent(key.frontend(), k -> globalLimit.child());
        InetSocketAddress address = key.host() == null || key.host().isEmpty() || key.host().equals("*")
                ? new InetSocketAddress(key.port())
                : new InetSocketAddress(key.host(), key.port());
        ChannelFuture f = b.bind(address).awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new BindFailedException(key.frontend(), address, f.cause());
        }
        limit.addListener(f.channel());
        f.channel().closeFuture().addListener(c -> limit.removeListener(f.channel()));
        return f.channel();
    }

    private ChannelInitializer<SocketChannel> httpInitializer(BindKey key) {
        String frontend = key.frontend();
        boolean ssl = key.ssl();
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                HttpLimits httpLimits = runtime.table().limits();
                HttpDecoderConfig config = new HttpDecoderConfig().setHeadersFactory(KnownWords.HEADERS)
                        .setMaxInitialLineLength(httpLimits.maxRequestLine())
                        .setMaxHeaderSize(httpLimits.maxHeaderSize())
                        .setMaxChunkSize(16384);
                connectionLimits.get(frontend).track(ch);
                clients.add(ch);
                // A client may shut its output after its request (RFC 9112 section 9.6): the
                // answer is still sent (HttpClientHandler closes once nothing is left to do).
                ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
                HttpClientHandler handler = new HttpClientHandler(runtime, frontend);
                if (ssl) {
                    ch.attr(TlsTermination.TLS).set(Boolean.TRUE);
                    ch.pipeline().addLast("tls", new TlsTermination(bindContexts.getOrDefault(key, tls)));
                    ch.pipeline().addLast("alpn", new Http2Streams(
                            connection -> HttpClientHandler.forStream(runtime, frontend, connection),
                            () -> {
                                Frontend f = runtime.table().frontend(frontend);
                                return f == null ? null : f.timeouts();
                            }));
                }
                ch.pipeline().addLast("request-start", handler.requestStartWatcher());
                ClientConnectionCodec.addLast(ch.pipeline(), config, MAX_DECODED_PIPELINE);
                ch.pipeline().addLast("proxy", handler);
            }
        };
    }

    private ChannelInitializer<SocketChannel> tcpInitializer(BindKey key) {
        String frontend = key.frontend();
        boolean ssl = key.ssl();
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                connectionLimits.get(frontend).track(ch);
                clients.add(ch);
                // Nothing is read before the server connection is open and the tunnel linked
                // (TcpClientHandler reads for a TLS handshake or a content inspection first).
                ch.config().setAutoRead(false);
                if (ssl) {
                    ch.attr(TlsTermination.TLS).set(Boolean.TRUE);
                    ch.pipeline().addLast("tls", new TlsTermination(bindContexts.getOrDefault(key, tls)));
                }
                ch.pipeline().addLast("proxy", new TcpClientHandler(runtime, frontend));
            }
        };
    }

    /**
     * A graceful stop, before {@link #close}: closes every bind (new connections are refused),
     * then lets what is in flight finish (see {@link #DRAIN}) and returns once every client
     * connection has ended, or after {@code graceMs}, whichever comes first. Waits: not for an
     * event loop's thread.
     */
    public void drain(long graceMs) {
        synchronized (this) {
            draining = true;
            for (Channel ch : listeners.values()) {
                ch.close().awaitUninterruptibly();
            }
            listeners.clear();
        }
        // the binds are closed: no connection joins the group after this
        ChannelGroupFuture allClosed = clients.newCloseFuture();
        for (Channel ch : clients) {
            ch.eventLoop().execute(() -> ch.pipeline().fireUserEventTriggered(DRAIN));
        }
        allClosed.awaitUninterruptibly(graceMs);
    }

    @Override
    public synchronized void close() {
        if (group.isShuttingDown()) {
            return; // closed before
        }
        for (Channel ch : listeners.values()) {
            ch.close().awaitUninterruptibly();
        }
        listeners.clear();
        // Every connection is closed, and its close awaited, while the loops still run: on
        // io_uring a channel closed by the loops' shutdown leaves the buffer of its pending read
        // unreleased (seen as a leak in a test's teardown). Clients first (their exchanges let
        // go of their origin connections), then what the origin pools of each loop hold.
        clients.close().awaitUninterruptibly(CLOSE_WAIT_MS);
        Queue<ChannelFuture> closing = new ConcurrentLinkedQueue<>();
        for (EventExecutor loop : group) {
            loop.submit(() -> {
                closing.addAll(OriginPool.current().closeAll());
                closing.addAll(H2OriginPool.current().closeAll());
            }).awaitUninterruptibly(CLOSE_WAIT_MS);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MS);
        for (ChannelFuture f : closing) {
            f.awaitUninterruptibly(Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        // the resolvers' channels first, while their loops still run: on io_uring a channel
        // closed by the loops' shutdown leaves the buffer of its pending read unreleased
        runtime.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private record BindKey(String frontend, Mode mode, String host, int port, boolean ssl) {
    }
}
