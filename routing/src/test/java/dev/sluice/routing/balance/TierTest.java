package dev.sluice.routing.balance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.Balancer;
import dev.sluice.routing.Server;
import dev.sluice.routing.ServerState;
import dev.sluice.routing.TestRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TierTest {

    private static List<Server> pool(int n, int maxWeight) {
        List<Server> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new Server("b", "s" + i, "h", 80, 1 + (i * 37) % maxWeight, false, false, 0, new ServerState()));
        }
        return List.copyOf(list);
    }

    private static Map<Server, Integer> counts(Server[] sequence) {
        Map<Server, Integer> m = new HashMap<>();
        for (Server s : sequence) {
            m.merge(s, 1, Integer::sum);
        }
        return m;
    }

    @Test
    void sequence_containsEachServerInProportionToItsWeight_smallAndLargePools() {
        for (List<Server> pool : List.of(pool(10, 5), pool(3000, 256))) {
            Server[] servers = pool.toArray(Server[]::new);
            Server[] seq = Tier.sequence(servers);
            int gcd = 0;
            for (Server s : servers) {
                gcd = java.math.BigInteger.valueOf(gcd).gcd(java.math.BigInteger.valueOf(s.weight())).intValue();
            }
            Map<Server, Integer> counts = counts(seq);
            for (Server s : servers) {
                assertThat(counts.get(s)).isEqualTo(s.weight() / gcd);
            }
        }
    }

    @Test
    void sequence_ofEqualWeights_neverRepeatsAServerBackToBack_evenInLargePools() {
        List<Server> list = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            list.add(new Server("b", "s" + i, "h", 80, 200, false, false, 0, new ServerState()));
        }
        Server[] seq = Tier.sequence(list.toArray(Server[]::new));
        assertThat(seq).hasSize(5000);
        for (int i = 1; i < seq.length; i++) {
            assertThat(seq[i]).isNotSameAs(seq[i - 1]);
        }
    }

    @Test
    void largeWeightedPools_balanceWithHashing() {
        List<Server> pool = pool(3000, 256);
        Balancer source = Balancer.source();
        Map<String, Integer> hits = new HashMap<>();
        for (int i = 0; i < 3000; i++) {
            TestRequest r = TestRequest.get("/").client("10." + (i / 60000) + "." + (i / 250 % 240) + "." + (i % 250));
            hits.merge(source.pick(pool, r, null).name(), 1, Integer::sum);
        }
        assertThat(hits.size()).isGreaterThan(500);
    }
}
