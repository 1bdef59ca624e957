package dev.sluice.routing.balance;

import dev.sluice.routing.Balancer;
import dev.sluice.routing.RequestView;
import dev.sluice.routing.Server;
import java.util.List;
import java.util.function.Predicate;

/**
 * The part every balancer shares: precomputed tiers cached per server list (a backend's list is
 * one immutable instance, so identity is the key), primaries before backups, {@code avoid} handling.
 * Lock-free: the cache is a volatile reference to immutable data; a race only builds it twice.
 */
abstract class TieredBalancer implements Balancer {

    private record Pool(List<Server> source, Tier primaries, Tier backups) {
    }

    private final boolean withRing;
    /** {@code option allbackups}; set once, before the balancer is published in a routing table. */
    boolean allBackups;
    private volatile Pool pool;

    TieredBalancer(boolean withRing) {
        this.withRing = withRing;
    }

    /** A server of {@code tier} that {@code ok} accepts, or {@code null}. */
    abstract Server choose(Tier tier, RequestView request, Predicate<Server> ok);

    @Override
    public final Server pick(List<Server> servers, RequestView request, Server avoid) {
        Pool p = pool;
        if (p == null || p.source != servers) {
            p = new Pool(servers, new Tier(servers, false, withRing), new Tier(servers, true, withRing));
            pool = p;
        }
        // one tier per pick, so a counter advances once per request
        if (p.primaries.anyUsable()) {
            return pickTier(p.primaries, request, avoid);
        }
        return allBackups ? pickTier(p.backups, request, avoid) : firstBackup(p.backups, avoid);
    }

    /** HAProxy without {@code option allbackups}: the first usable backup in declaration order takes it all. */
    private static Server firstBackup(Tier backups, Server avoid) {
        Server fallback = null;
        for (Server s : backups.servers) {
            if (s.isUsable() && s.hasCapacity()) {
                if (s != avoid) {
                    return s;
                }
                fallback = s;
            }
        }
        return fallback;
    }

    private Server pickTier(Tier tier, RequestView request, Server avoid) {
        if (tier.isEmpty()) {
            return null;
        }
        Server s = choose(tier, request, x -> x != avoid && x.isUsable() && x.hasCapacity() && admitsDuringSlowstart(x));
        if (s == null) {
            // every candidate was ramping up: one of them still takes it (HAProxy's ramped weight is never 0)
            s = choose(tier, request, x -> x != avoid && x.isUsable() && x.hasCapacity());
        }
        if (s == null && avoid != null && avoid.isUsable() && avoid.hasCapacity() && tier.contains(avoid)) {
            return avoid;
        }
        return s;
    }

    /**
     * {@code slowstart}: during the window after a server came back UP (or READY, or got an
     * address) it is skipped with probability {@code 1 - elapsed / slowstart}, so its share of the
     * traffic ramps from about 0 to its full weight without touching the balancers' precomputed,
     * lock-free structures. HAProxy ramps the weight itself; the expected share is the same for
     * round robin and random, and close for the others. Servers UP since start are not ramped.
     */
    static boolean admitsDuringSlowstart(Server s) {
        long window = s.check().slowstartMs();
        if (window <= 0) {
            return true;
        }
        long since = s.state().upSinceNanos();
        if (since == Long.MIN_VALUE) {
            return true;
        }
        long windowNanos = window * 1_000_000L;
        long elapsed = System.nanoTime() - since;
        return elapsed >= windowNanos || java.util.concurrent.ThreadLocalRandom.current().nextLong(windowNanos) < elapsed;
    }
}
