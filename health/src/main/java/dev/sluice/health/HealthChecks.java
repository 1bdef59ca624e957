package dev.sluice.health;

import static java.util.Objects.requireNonNull;

import dev.sluice.proxy.OriginTls;
import dev.sluice.proxy.Transport;
import dev.sluice.routing.Backend;
import dev.sluice.routing.RoutingTable;
import dev.sluice.routing.Server;
import dev.sluice.routing.ServerState;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The active health checks of every server with {@code check}, on an event-loop group of their
 * own (one thread), so checks are neither delayed by traffic nor delay it. A checker is keyed by
 * its server's {@link ServerState} identity: it survives routing-table swaps (the compiler hands
 * the same state object to the next table) and keeps its rise/fall counters. Each checker also
 * applies {@code on-error} when the data plane's passive observation reaches {@code error-limit}.
 *
 * <p>{@link #update} is called by the single writer of routing tables; it is synchronized only
 * against itself and {@link #close}.
 */
public final class HealthChecks implements AutoCloseable {

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final ChannelGroup open = new DefaultChannelGroup("sluice-health-checks", GlobalEventExecutor.INSTANCE);
    private final Map<ServerState, Checker> checkers = new IdentityHashMap<>();
    private boolean closed;
    private final DnsAddressResolverGroup resolver;
    private final OriginTls originTls = new OriginTls();

    private HealthChecks() {
        this.group = Transport.started(new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("sluice-health", true), NioIoHandler.newFactory()));
        // Netty's asynchronous resolver: a check of a server named by a host name (before the
        // background resolution knows its address, or an `addr` host name) never blocks the loop
        this.resolver = new DnsAddressResolverGroup(new DnsNameResolverBuilder()
                .datagramChannelType(NioDatagramChannel.class).ttl(1, 10));
        this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class).resolver(resolver)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_LINGER, 0);
    }

    /** Starts the check loop; no server is checked until {@link #update}. */
    public static HealthChecks start() {
        return new HealthChecks();
    }

    /**
     * Reconciles the checkers with {@code table}: one for every server with {@code check} (not
     * {@code disabled}), new ones first checking after a random delay in [0, inter) so that many
     * servers do not check in lockstep; checkers of servers no longer in the table stop.
     */
    public synchronized void update(RoutingTable table) {
        requireNonNull(table, "table");
        if (closed) {
            return;
        }
        originTls.prepare(table);
        Set<ServerState> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Backend b : table.backends().values()) {
            for (Server s : b.servers()) {
                if (!s.check().enabled() || s.disabled() || !seen.add(s.state())) {
                    continue;
                }
                CheckTarget target = CheckTarget.of(s, b, originTls);
                Checker c = checkers.get(s.state());
                if (c == null) {
                    c = new Checker(bootstrap, group.next(), target, open);
                    checkers.put(s.state(), c);
                    c.start();
                } else {
                    c.reconfigure(target);
                }
            }
        }
        checkers.entrySet().removeIf(e -> {
            if (seen.contains(e.getKey())) {
                return false;
            }
            e.getValue().stop();
            return true;
        });
    }

    /** How many servers are checked now. */
    public synchronized int checkedServers() {
        return checkers.size();
    }

    /** Stops every checker and the check loop. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            checkers.values().forEach(Checker::stop);
            checkers.clear();
        }
        // the checks' connections are closed while the loop still runs: one closed by the loop's
        // shutdown in the middle of a TLS handshake left its queued request unreleased (a leak
        // seen once in a test's teardown)
        open.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        resolver.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
