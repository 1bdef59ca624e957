package dev.sluice.proxy;

import static java.util.Objects.requireNonNull;

import dev.sluice.routing.Backend;
import dev.sluice.routing.RoutingTable;
import dev.sluice.routing.Server;
import dev.sluice.routing.ServerState;
import dev.sluice.routing.StateEvent;
import dev.sluice.routing.StateEvents;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.util.NetUtil;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fills the slots of {@code server-template} lines (and Docker Flow Proxy's {@code discoveryType=DNS})
 * from DNS: one slot per address that {@code tasks.SERVICE} answers. Resolution runs on an event
 * loop of its own, every {@link Settings#interval()}, never on the request path; the request path
 * only reads {@link ServerState#address()}.
 *
 * <p>Slots are assigned stably: an address keeps its slot (its {@link ServerState}, counters and
 * persistence cookie) while DNS answers it; a new address takes the lowest free slot; a vanished
 * one frees its slot. A name that does not resolve leaves its slots empty (the backend answers 503)
 * with the reason in {@link ServerState#lastError()}; it never stops anything else.
 *
 * <p>Use: {@link #start(Settings)} once, {@link #reconcile(RoutingTable)} after every publish,
 * {@link #close()} at shutdown.
 */
public final class DnsDiscovery implements AutoCloseable {

    /**
     * @param nameservers the resolvers of slots whose servers name no {@code resolvers} section
     *                    (Docker Flow Proxy's {@code RESOLVERS}); empty: {@code /etc/resolv.conf}
     * @param interval    how often every name is resolved again (answers are not cached in between,
     *                    so a change is seen within one interval whatever the TTL)
     * @param queryTimeout how long one DNS query may take
     */
    public record Settings(List<InetSocketAddress> nameservers, Duration interval, Duration queryTimeout) {

        public static final Settings DEFAULT = new Settings(List.of(), Duration.ofSeconds(5), Duration.ofSeconds(2));

        public Settings {
            nameservers = List.copyOf(nameservers);
            requireNonNull(interval, "interval");
            requireNonNull(queryTimeout, "queryTimeout");
            if (interval.toMillis() < 10) {
                throw new IllegalArgumentException("interval: " + interval + " (expected at least 10ms)");
            }
        }

        public Settings withNameservers(List<InetSocketAddress> next) {
            return new Settings(next, interval, queryTimeout);
        }

        public Settings withInterval(Duration next) {
            return new Settings(nameservers, next, queryTimeout);
        }
    }

    /** The slots of one template line: same backend, name, port and resolvers. */
    /** @param named a plain {@code server NAME HOST:PORT} with a host name: one address, kept current */
    private record GroupKey(String backend, String fqdn, int port, List<InetSocketAddress> nameservers,
                            boolean named) {
    }

    private static final class Group {
        final GroupKey key;
        List<ServerState> slots;
        boolean inFlight;
        boolean overflowReported;
        String failure;

        Group(GroupKey key, List<ServerState> slots) {
            this.key = key;
            this.slots = slots;
        }
    }

    private final Settings settings;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Transport transport;
    /** Touched on {@link #loop} only. */
    private final Map<GroupKey, Group> groups = new LinkedHashMap<>();
    private final Map<List<InetSocketAddress>, DnsNameResolver> resolvers = new HashMap<>();

    private DnsDiscovery(Settings settings) {
        this.settings = settings;
        // a few datagrams a second gain nothing from io_uring, and close() shuts the loop down
        // right behind its resolvers: on io_uring that can leave a pending read's buffer
        // unreleased (seen in the proxy's own resolvers, which now close first)
        this.transport = Transport.best().withoutIoUring();
        this.group = transport.newGroup(1, "sluice-dns");
        this.loop = group.next();
        long ms = settings.interval().toMillis();
        loop.scheduleWithFixedDelay(this::refreshAll, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Starts the background resolution (no names until the first {@link #reconcile}). */
    public static DnsDiscovery start(Settings settings) {
        return new DnsDiscovery(requireNonNull(settings, "settings"));
    }

    /**
     * Takes the slots of {@code table}, the table just published: slots kept from the previous
     * table keep their addresses (their {@link ServerState} is the same object); new slot groups
     * are resolved at once. The future completes when that first resolution is applied.
     */
    public CompletableFuture<Void> reconcile(RoutingTable table) {
        requireNonNull(table, "table");
        List<ServerState> byAddress = new ArrayList<>();
        Map<GroupKey, List<ServerState>> wanted = slotGroups(table, byAddress);
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            groups.keySet().retainAll(wanted.keySet());
            for (ServerState s : byAddress) {
                // a server that was named by a host name and is now named by its address keeps
                // its state (same backend, same server name): what DNS said of the name goes
                s.resolvedAddress(null);
                s.dnsFailure(null);
            }
            List<CompletableFuture<Void>> first = new ArrayList<>();
            for (Map.Entry<GroupKey, List<ServerState>> e : wanted.entrySet()) {
                Group g = groups.get(e.getKey());
                if (g == null) {
                    g = new Group(e.getKey(), e.getValue());
                    groups.put(e.getKey(), g);
                    first.add(refresh(g));
                } else if (!sameSlots(g.slots, e.getValue())) {
                    g.slots = e.getValue();
                    first.add(refresh(g));
                }
            }
            CompletableFuture.allOf(first.toArray(CompletableFuture[]::new)).whenComplete((v, t) -> done.complete(null));
        });
        return done;
    }

    /** Resolves every name now (tests, and an operator's "refresh"); completes when applied. */
    public CompletableFuture<Void> refreshNow() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (Group g : groups.values()) {
                all.add(refresh(g));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).whenComplete((v, t) -> done.complete(null));
        });
        return done;
    }

    /**
     * The servers to resolve, grouped by what is looked up; the servers named by an IP address
     * (nothing to resolve) are added to {@code byAddress}.
     */
    private static Map<GroupKey, List<ServerState>> slotGroups(RoutingTable table, List<ServerState> byAddress) {
        Map<GroupKey, List<ServerState>> out = new LinkedHashMap<>();
        for (Backend b : table.backends().values()) {
            for (Server s : b.servers()) {
                if (s.isSlot()) {
                    out.computeIfAbsent(new GroupKey(b.name(), s.host(), s.port(), s.nameservers(), false),
                            k -> new ArrayList<>()).add(s.state());
                } else if (isAddress(s.host())) {
                    byAddress.add(s.state());
                } else {
                    // resolved in the background too, so requests need no DNS lookup and a name
                    // that stops resolving marks its server DOWN with the reason
                    // one query per name, however many servers (backends) use it
                    out.computeIfAbsent(new GroupKey("", s.host(), s.port(), s.nameservers(), true),
                            k -> new ArrayList<>()).add(s.state());
                }
            }
        }
        return out;
    }

    /** Whether {@code host} is an IPv4 or IPv6 address rather than a name. */
    static boolean isAddress(String host) {
        return NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host);
    }

    private static boolean sameSlots(List<ServerState> a, List<ServerState> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }

    private void refreshAll() {
        for (Group g : groups.values()) {
            refresh(g);
        }
    }

    private CompletableFuture<Void> refresh(Group g) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (g.inFlight) {
            done.complete(null);
            return done;
        }
        g.inFlight = true;
        resolver(g.key.nameservers()).resolveAll(g.key.fqdn()).addListener(f -> {
            g.inFlight = false;
            if (groups.get(g.key) == g) {
                if (f.isSuccess()) {
                    @SuppressWarnings("unchecked")
                    List<InetAddress> answers = (List<InetAddress>) f.getNow();
                    assign(g, answers);
                } else {
                    failed(g, f.cause());
                }
            }
            done.complete(null);
        });
        return done;
    }

    /** Stable assignment: kept addresses stay, gone ones free their slot, new ones take the lowest free. */
    private static void assign(Group g, List<InetAddress> answers) {
        if (g.key.named()) {
            g.failure = null;
            InetSocketAddress first = answers.isEmpty() ? null : new InetSocketAddress(answers.get(0), g.key.port());
            for (ServerState s : g.slots) {
                s.clearError();
                s.dnsFailure(null);
                s.resolvedAddress(first);
            }
            return;
        }
        Set<InetSocketAddress> wanted = new LinkedHashSet<>();
        for (InetAddress a : answers) {
            wanted.add(new InetSocketAddress(a, g.key.port()));
        }
        if (g.failure != null) {
            g.failure = null;
            for (ServerState s : g.slots) {
                s.clearError();
            }
        }
        Set<InetSocketAddress> kept = new java.util.HashSet<>();
        for (ServerState s : g.slots) {
            InetSocketAddress a = s.address();
            boolean keeps = a != null && wanted.contains(a) && kept.add(a);
            if (a != null && !keeps) {
                s.address(null, "DNS: address " + a.getAddress().getHostAddress() + " gone from " + g.key.fqdn());
            }
        }
        int free = 0;
        int ignored = 0;
        for (InetSocketAddress a : wanted) {
            if (kept.contains(a)) {
                continue;
            }
            while (free < g.slots.size() && g.slots.get(free).address() != null) {
                free++;
            }
            if (free == g.slots.size()) {
                ignored++;
                continue;
            }
            g.slots.get(free).address(a, "DNS: " + g.key.fqdn() + " answers " + a.getAddress().getHostAddress());
        }
        if (ignored > 0 && !g.overflowReported) {
            g.overflowReported = true;
            StateEvents.record(new StateEvent(System.currentTimeMillis(), g.key.backend(), g.key.fqdn(),
                    "", "", "DNS: " + g.key.fqdn() + " answers " + wanted.size() + " addresses but the template has "
                    + g.slots.size() + " slots; " + ignored + " ignored"));
        } else if (ignored == 0) {
            g.overflowReported = false;
        }
    }

    /**
     * No such name: the slots are emptied. A timeout (the DNS server is unreachable) keeps the
     * addresses it had, as HAProxy's {@code hold timeout} does, and records why.
     */
    private static void failed(Group g, Throwable cause) {
        boolean timeout = false;
        for (Throwable t = cause; t != null; t = t.getCause()) {
            timeout |= t instanceof DnsNameResolverTimeoutException;
        }
        String reason = timeout ? "DNS: timeout resolving " + g.key.fqdn() + " (addresses kept)"
                : "DNS: no such host " + g.key.fqdn();
        for (ServerState s : g.slots) {
            s.recordError(reason);
            if (timeout) {
                continue;
            }
            if (g.key.named()) {
                s.resolvedAddress(null);
                s.dnsFailure(reason);
            } else {
                s.address(null, reason);
            }
        }
        if (!g.key.named() && !reason.equals(g.failure)) {
            g.failure = reason;
            if (!g.slots.isEmpty()) {
                ServerState first = g.slots.get(0);
                StateEvents.record(new StateEvent(System.currentTimeMillis(), first.backend(), first.server(),
                        first.describe(), first.describe(), reason));
            }
        }
    }

    private DnsNameResolver resolver(List<InetSocketAddress> nameservers) {
        List<InetSocketAddress> effective = nameservers.isEmpty() ? settings.nameservers() : nameservers;
        return resolvers.computeIfAbsent(effective, list -> {
            DnsServerAddressStreamProvider provider = list.isEmpty()
                    ? DnsServerAddressStreamProviders.platformDefault()
                    : new SequentialDnsServerAddressStreamProvider(resolved(list));
            return new DnsNameResolverBuilder(loop)
                    .datagramChannelType(transport.datagramChannel())
                    .socketChannelType(transport.socketChannel())
                    .nameServerProvider(provider)
                    .resolveCache(NoopDnsCache.INSTANCE)
                    .resolvedAddressTypes(ResolvedAddressTypes.IPV4_PREFERRED)
                    .queryTimeoutMillis(settings.queryTimeout().toMillis())
                    .build();
        });
    }

    /** The nameservers are IP literals (as in HAProxy's {@code nameserver}): no lookup happens here. */
    private static List<InetSocketAddress> resolved(List<InetSocketAddress> list) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (InetSocketAddress a : list) {
            out.add(a.isUnresolved() ? new InetSocketAddress(a.getHostString(), a.getPort()) : a);
        }
        return out;
    }

    /** Stops resolving; the slots keep the addresses they have. */
    @Override
    public void close() {
        loop.execute(() -> {
            resolvers.values().forEach(DnsNameResolver::close);
            resolvers.clear();
            groups.clear();
        });
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
