package dev.sluice.routing.balance;

import dev.sluice.routing.RequestView;
import dev.sluice.routing.Server;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/** {@code random}: a weighted random server (a random position in the weighted sequence). */
final class RandomBalancer extends TieredBalancer {

    RandomBalancer() {
        super(false);
    }

    @Override
    Server choose(Tier tier, RequestView request, Predicate<Server> ok) {
        int start = ThreadLocalRandom.current().nextInt(tier.sequence.length);
        return RoundRobinBalancer.walk(tier.sequence, start, ok);
    }
}
