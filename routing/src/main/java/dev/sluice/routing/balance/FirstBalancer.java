package dev.sluice.routing.balance;

import dev.sluice.routing.RequestView;
import dev.sluice.routing.Server;
import java.util.function.Predicate;

/** {@code first}: the first server in declaration order that has a free slot ({@code maxconn}). */
final class FirstBalancer extends TieredBalancer {

    FirstBalancer() {
        super(false);
    }

    @Override
    Server choose(Tier tier, RequestView request, Predicate<Server> ok) {
        for (Server s : tier.servers) {
            if (ok.test(s)) {
                return s;
            }
        }
        return null;
    }
}
