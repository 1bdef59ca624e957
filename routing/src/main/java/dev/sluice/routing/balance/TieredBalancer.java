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
        return pickTier(p.primaries.anyUsable() ? p.primaries : p.backups, request, avoid);
    }

    private Server pickTier(Tier tier, RequestView request, Server avoid) {
        if (tier.isEmpty()) {
            return null;
        }
        Server s = choose(tier, request, x -> x != avoid && x.isUsable() && x.hasCapacity());
        if (s == null && avoid != null && avoid.isUsable() && avoid.hasCapacity() && tier.contains(avoid)) {
            return avoid;
        }
        return s;
    }
}
