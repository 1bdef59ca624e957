package dev.sluice.routing.balance;

import dev.sluice.routing.RequestView;
import dev.sluice.routing.Server;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * {@code leastconn}: the server with the fewest requests in flight relative to its weight; ties
 * go round-robin (the scan starts one server further each time).
 */
final class LeastConnBalancer extends TieredBalancer {

    private final AtomicLong counter = new AtomicLong();

    LeastConnBalancer() {
        super(false);
    }

    @Override
    Server choose(Tier tier, RequestView request, Predicate<Server> ok) {
        Server[] servers = tier.servers;
        int n = servers.length;
        int start = (int) Math.floorMod(counter.getAndIncrement(), (long) n);
        Server best = null;
        long bestActive = 0;
        for (int step = 0; step < n; step++) {
            Server s = servers[(start + step) % n];
            if (!ok.test(s)) {
                continue;
            }
            long active = s.state().active();
            // active/weight < bestActive/bestWeight, without division
            if (best == null || active * best.weight() < bestActive * s.weight()) {
                best = s;
                bestActive = active;
            }
        }
        return best;
    }
}
