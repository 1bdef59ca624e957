package dev.sluice.proxy;

import dev.sluice.routing.RoutingTable;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What every frontend handler shares: the current routing table (one volatile field), the
 * transport and the DNS resolver used for server host names.
 */
final class ProxyRuntime {

    private final Transport transport;
    private final AddressResolverGroup<InetSocketAddress> resolver;
    private volatile RoutingTable table;
    /** Each event loop's stripe of the traffic counters; written once at start. */
    private volatile Map<EventExecutor, Integer> stripes = Map.of();
    private volatile AccessLog accessLog;
    private volatile FrontendStats frontendStats;
    private final OriginTls originTls = new OriginTls();

    ProxyRuntime(Transport transport, RoutingTable table) {
        this.transport = transport;
        originTls.prepare(table);
        this.table = table;
        // Netty's asynchronous resolver: /etc/resolv.conf and /etc/hosts, TTL capped so that a
        // Swarm service's address change is seen within seconds. Never blocks an event loop.
        this.resolver = new DnsAddressResolverGroup(new DnsNameResolverBuilder()
                .datagramChannelType(transport.datagramChannel())
                .socketChannelType(transport.socketChannel())
                .ttl(0, 10)
                .negativeTtl(2));
    }

    /** Numbers the loops of {@code group} 0..n-1: their stripes of the counters. */
    void loops(EventLoopGroup group) {
        Map<EventExecutor, Integer> m = new IdentityHashMap<>();
        for (EventExecutor e : group) {
            m.put(e, m.size());
        }
        stripes = Collections.unmodifiableMap(m);
    }

    /** The counters' stripe of {@code loop}; -1 (the shared stripe) for a loop not of this server. */
    int stripe(EventExecutor loop) {
        Integer i = stripes.get(loop);
        return i == null ? -1 : i;
    }

    /** The access log, or {@code null} when it is off. */
    AccessLog accessLog() {
        return accessLog;
    }

    void accessLog(AccessLog log) {
        accessLog = log;
    }

    /** The stats page of the http frontends, or {@code null} when they serve none. */
    FrontendStats frontendStats() {
        return frontendStats;
    }

    void frontendStats(FrontendStats stats) {
        frontendStats = stats;
    }

    RoutingTable table() {
        return table;
    }

    /** Installs {@code table}, once the TLS contexts of its servers are built. */
    void setTable(RoutingTable table) {
        originTls.prepare(table);
        this.table = table;
    }

    OriginTls originTls() {
        return originTls;
    }

    Transport transport() {
        return transport;
    }

    /**
     * Opens a connection to {@code host:port} on {@code loop} (the client's event loop).
     * {@code init} adds the protocol handlers; auto-read is on (it is switched off only for
     * backpressure).
     */
    void connect(EventLoop loop, String host, int port, long connectTimeoutMs, ByteBufAllocator alloc,
                 Consumer<SocketChannel> init, ChannelFutureListener onConnect) {
        connect(loop, InetSocketAddress.createUnresolved(host, port), connectTimeoutMs, alloc, init, onConnect);
    }

    /** Like the other, to an address: a resolved one (a server-template slot's) goes without DNS. */
    void connect(EventLoop loop, InetSocketAddress address, long connectTimeoutMs, ByteBufAllocator alloc,
                 Consumer<SocketChannel> init, ChannelFutureListener onConnect) {
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(transport.socketChannel())
                .resolver(resolver)
                // TCP_NODELAY is Netty's default for socket channels (see ProxyServer)
                .option(ChannelOption.ALLOCATOR, alloc)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        init.accept(ch);
                    }
                });
        if (connectTimeoutMs > 0) {
            b.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeoutMs));
        }
        b.connect(address).addListener(onConnect);
    }

    void close() {
        resolver.close();
    }
}
