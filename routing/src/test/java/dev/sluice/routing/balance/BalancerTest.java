package dev.sluice.routing.balance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.Balancer;
import dev.sluice.routing.RequestView;
import dev.sluice.routing.Server;
import dev.sluice.routing.ServerState;
import dev.sluice.routing.TestRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BalancerTest {

    private static Server server(String name, int weight, boolean backup) {
        return new Server("b", name, "127.0.0.1", 8000, weight, backup, false, 0, new ServerState());
    }

    private static List<Server> servers(int n) {
        List<Server> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(server("s" + i, 1, false));
        }
        return List.copyOf(list);
    }

    private static Map<String, Integer> count(Balancer b, List<Server> servers, int n, RequestView r) {
        Map<String, Integer> hits = new HashMap<>();
        for (int i = 0; i < n; i++) {
            hits.merge(b.pick(servers, r, null).name(), 1, Integer::sum);
        }
        return hits;
    }

    @Test
    void roundRobin_hitsEachServerEqually() {
        List<Server> s = servers(4);
        assertThat(count(Balancer.roundRobin(), s, 400, TestRequest.get("/")))
                .containsExactlyInAnyOrderEntriesOf(Map.of("s0", 100, "s1", 100, "s2", 100, "s3", 100));
    }

    @Test
    void roundRobin_respectsWeightsInRatio() {
        List<Server> s = List.of(server("a", 5, false), server("b", 3, false), server("c", 1, false));
        assertThat(count(Balancer.roundRobin(), s, 900, TestRequest.get("/")))
                .containsExactlyInAnyOrderEntriesOf(Map.of("a", 500, "b", 300, "c", 100));
        assertThat(count(Balancer.staticRoundRobin(), s, 90, TestRequest.get("/")))
                .containsExactlyInAnyOrderEntriesOf(Map.of("a", 50, "b", 30, "c", 10));
    }

    @Test
    void roundRobin_isSmooth() {
        List<Server> equal = servers(2);
        Balancer b = Balancer.roundRobin();
        Server last = null;
        for (int i = 0; i < 50; i++) {
            Server s = b.pick(equal, null, null);
            assertThat(s).isNotSameAs(last);
            last = s;
        }
        // weights 2:1 interleave as a, b, a rather than a, a, b
        List<Server> weighted = List.of(server("a", 2, false), server("b", 1, false));
        Balancer w = Balancer.roundRobin();
        List<String> seq = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            seq.add(w.pick(weighted, null, null).name());
        }
        assertThat(seq).containsExactly("a", "b", "a", "a", "b", "a");
    }

    @Test
    void roundRobin_skipsDownDisabledAndFullServers() {
        Server up = server("up", 1, false);
        Server down = server("down", 1, false);
        down.state().setUp(false);
        Server disabled = new Server("b", "off", "h", 1, 1, false, true, 0, new ServerState());
        Server full = new Server("b", "full", "h", 1, 1, false, false, 1, new ServerState());
        full.state().acquire();
        List<Server> list = List.of(down, disabled, full, up);
        assertThat(count(Balancer.roundRobin(), list, 20, null)).containsExactlyEntriesOf(Map.of("up", 20));
    }

    @Test
    void noUsableServer_givesNull() {
        List<Server> list = servers(2);
        list.forEach(s -> s.state().setUp(false));
        for (Balancer b : all()) {
            assertThat(b.pick(list, TestRequest.get("/"), null)).isNull();
        }
        for (Balancer b : all()) {
            assertThat(b.pick(List.of(), TestRequest.get("/"), null)).isNull();
        }
    }

    @Test
    void backups_areUsedOnlyWhenNoPrimaryIsUsable() {
        Server p1 = server("p1", 1, false);
        Server p2 = server("p2", 1, false);
        Server b1 = server("b1", 1, true);
        Server b2 = server("b2", 1, true);
        List<Server> list = List.of(p1, b1, p2, b2);
        for (Balancer b : all()) {
            for (int i = 0; i < 20; i++) {
                assertThat(b.pick(list, TestRequest.get("/x" + i), null).backup()).isFalse();
            }
        }
        p1.state().setUp(false);
        p2.state().setUp(false);
        Map<String, Integer> hits = count(Balancer.roundRobin(), list, 10, null);
        assertThat(hits).containsExactlyInAnyOrderEntriesOf(Map.of("b1", 5, "b2", 5));
        for (Balancer b : all()) {
            assertThat(b.pick(list, TestRequest.get("/y"), null).backup()).isTrue();
        }
    }

    @Test
    void avoid_isHonouredWhenAnotherServerIsUsable() {
        List<Server> list = servers(3);
        for (Balancer b : all()) {
            for (int i = 0; i < 30; i++) {
                assertThat(b.pick(list, TestRequest.get("/p" + i).client("10.0.0." + i), list.get(1)))
                        .isNotSameAs(list.get(1));
            }
        }
        List<Server> single = servers(1);
        for (Balancer b : all()) {
            assertThat(b.pick(single, TestRequest.get("/"), single.get(0))).isSameAs(single.get(0));
        }
    }

    @Test
    void leastConn_prefersTheIdleServer() {
        List<Server> list = servers(3);
        list.get(0).state().acquire();
        list.get(0).state().acquire();
        list.get(2).state().acquire();
        Balancer b = Balancer.leastConn();
        for (int i = 0; i < 10; i++) {
            assertThat(b.pick(list, null, null)).isSameAs(list.get(1));
        }
    }

    @Test
    void leastConn_breaksTiesRoundRobin() {
        List<Server> list = servers(3);
        assertThat(count(Balancer.leastConn(), list, 30, null))
                .containsExactlyInAnyOrderEntriesOf(Map.of("s0", 10, "s1", 10, "s2", 10));
    }

    @Test
    void first_fillsServersInDeclarationOrder() {
        Server a = new Server("b", "a", "h", 1, 1, false, false, 2, new ServerState());
        Server c = new Server("b", "c", "h", 1, 1, false, false, 2, new ServerState());
        List<Server> list = List.of(a, c);
        Balancer b = Balancer.first();
        assertThat(b.pick(list, null, null)).isSameAs(a);
        a.state().acquire();
        a.state().acquire();
        assertThat(b.pick(list, null, null)).isSameAs(c);
    }

    @Test
    void source_isStablePerClient() {
        List<Server> list = servers(5);
        Balancer b = Balancer.source();
        for (int i = 0; i < 50; i++) {
            TestRequest r = TestRequest.get("/").client("10.1.0." + i);
            Server first = b.pick(list, r, null);
            for (int k = 0; k < 5; k++) {
                assertThat(b.pick(list, r, null)).isSameAs(first);
            }
        }
    }

    @Test
    void source_movesOnlyTheClientsOfARemovedServer() {
        List<Server> five = servers(5);
        List<Server> four = List.copyOf(five.subList(0, 4));
        Balancer before = Balancer.source();
        Balancer after = Balancer.source();
        int moved = 0;
        for (int i = 0; i < 2000; i++) {
            TestRequest r = TestRequest.get("/").client("10." + (i / 250) + "." + (i % 250) + ".7");
            Server s5 = before.pick(five, r, null);
            Server s4 = after.pick(four, r, null);
            if (s5 != five.get(4)) {
                assertThat(s4).as("client %s", i).isSameAs(s5);
            } else {
                moved++;
            }
        }
        assertThat(moved).isBetween(200, 700);
    }

    @Test
    void source_spreadsClientsOverServersByWeight() {
        List<Server> list = List.of(server("a", 1, false), server("b", 3, false));
        Balancer b = Balancer.source();
        Map<String, Integer> hits = new HashMap<>();
        for (int i = 0; i < 4000; i++) {
            TestRequest r = TestRequest.get("/").client("172.16." + (i / 200) + "." + (i % 200));
            hits.merge(b.pick(list, r, null).name(), 1, Integer::sum);
        }
        assertThat(hits.get("b")).isBetween(2400, 3600);
    }

    @Test
    void downServer_movesOnlyItsOwnClients_withHashing() {
        List<Server> list = servers(4);
        Balancer b = Balancer.uri();
        Map<String, Server> before = new HashMap<>();
        for (int i = 0; i < 500; i++) {
            before.put("/p" + i, b.pick(list, TestRequest.get("/p" + i + "?q=" + i), null));
        }
        list.get(2).state().setUp(false);
        for (int i = 0; i < 500; i++) {
            Server now = b.pick(list, TestRequest.get("/p" + i), null);
            if (before.get("/p" + i) != list.get(2)) {
                assertThat(now).isSameAs(before.get("/p" + i));
            } else {
                assertThat(now).isNotSameAs(list.get(2));
            }
        }
    }

    @Test
    void header_hashesTheHeaderAndFallsBackToRoundRobinWithoutIt() {
        List<Server> list = servers(3);
        Balancer b = Balancer.header("X-User");
        Server first = b.pick(list, TestRequest.get("/").header("x-user", "ann"), null);
        for (int i = 0; i < 10; i++) {
            assertThat(b.pick(list, TestRequest.get("/" + i).header("X-User", "ann"), null)).isSameAs(first);
        }
        assertThat(count(b, list, 30, TestRequest.get("/"))).hasSize(3);
    }

    @Test
    void random_onlyPicksUsableServers() {
        List<Server> list = servers(3);
        list.get(0).state().setUp(false);
        Map<String, Integer> hits = count(Balancer.random(), list, 300, null);
        assertThat(hits).containsOnlyKeys("s1", "s2");
    }

    @Test
    void weightZeroServers_getNoBalancedTraffic() {
        List<Server> list = List.of(server("zero", 0, false), server("one", 1, false));
        for (Balancer b : all()) {
            for (int i = 0; i < 10; i++) {
                assertThat(b.pick(list, TestRequest.get("/" + i), null).name()).isEqualTo("one");
            }
        }
    }

    @Test
    void roundRobin_isExactUnderConcurrency() throws Exception {
        List<Server> list = servers(4);
        Balancer b = Balancer.roundRobin();
        Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    hits.computeIfAbsent(b.pick(list, null, null).name(), k -> new AtomicInteger()).incrementAndGet();
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        assertThat(hits.values()).allSatisfy(v -> assertThat(v.get()).isEqualTo(10_000));
    }

    private static List<Balancer> all() {
        return List.of(Balancer.roundRobin(), Balancer.staticRoundRobin(), Balancer.leastConn(), Balancer.source(),
                Balancer.first(), Balancer.uri(), Balancer.header("X-User"), Balancer.random());
    }
}
