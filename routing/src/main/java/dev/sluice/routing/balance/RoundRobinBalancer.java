package dev.sluice.routing.balance;

import dev.sluice.routing.RequestView;
import dev.sluice.routing.Server;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/** {@code roundrobin} and {@code static-rr}: the smooth weighted sequence, walked by one counter. */
final class RoundRobinBalancer extends TieredBalancer {

    private final AtomicLong counter = new AtomicLong();

    RoundRobinBalancer() {
        super(false);
    }

    @Override
    Server choose(Tier tier, RequestView request, Predicate<Server> ok) {
        return walk(tier.sequence, counter.getAndIncrement(), ok);
    }

    /** The first server {@code ok} accepts in {@code sequence} from position {@code start}. */
    static Server walk(Server[] sequence, long start, Predicate<Server> ok) {
        int n = sequence.length;
        int i = (int) Math.floorMod(start, (long) n);
        for (int step = 0; step < n; step++) {
            Server s = sequence[i];
            if (ok.test(s)) {
                return s;
            }
            if (++i == n) {
                i = 0;
            }
        }
        return null;
    }
}
