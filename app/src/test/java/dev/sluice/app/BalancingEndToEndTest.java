package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.proxy.RawHttpClient;
import dev.sluice.proxy.TestBackend;
import dev.sluice.routing.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** balance algorithms and server options, counted at real sluice.origins(). */
class BalancingEndToEndTest {

    @RegisterExtension
    static final ProxyFixture sluice = new ProxyFixture();
    private ExecutorService pool;

    @AfterEach
    void stop() throws InterruptedException {
        if (pool != null) {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    private int start(String config) throws Exception {
        return sluice.start(config);
    }

    /** How many of {@code n} GETs of {@code path}, each on its own connection, each origin served. */
    private static Map<String, Integer> spread(int port, int n, String path) throws Exception {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            counts.merge(Http.servedBy(port, path), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void roundRobin_givesEachServerAnEqualShare_perRequestOnOneKeepAliveConnection() throws Exception {
        int port = start("""
                frontend fe
                    default_backend pool
                backend pool
                    balance roundrobin
                    server a {{rr-a}}
                    server b {{rr-b}}
                    server c {{rr-c}}
                """);
        Map<String, Integer> counts = new TreeMap<>();
        try (RawHttpClient c = new RawHttpClient(port, Http.TIMEOUT_MS)) {
            for (int i = 0; i < 30; i++) {
                counts.merge(c.get("/rr").header("x-server"), 1, Integer::sum);
            }
        }

        assertThat(counts).isEqualTo(Map.of("rr-a", 10, "rr-b", 10, "rr-c", 10));
    }

    @Test
    void roundRobin_followsWeights() throws Exception {
        int port = start("""
                frontend fe
                    default_backend pool
                backend pool
                    balance roundrobin
                    server a {{w1}} weight 1
                    server b {{w2}} weight 2
                    server c {{w3}} weight 3
                """);

        assertThat(spread(port, 60, "/w")).isEqualTo(Map.of("w1", 10, "w2", 20, "w3", 30));
    }

    @Test
    void leastConn_sendsQuickRequestsToTheIdleServer() throws Exception {
        RunningProxy proxy = sluice.startProxy("""
                frontend fe
                    default_backend pool
                backend pool
                    balance leastconn
                    server a {{lc-a}}
                    server b {{lc-b}}
                    server c {{lc-c}}
                """, null);
        int port = proxy.port("fe");
        List<TestBackend> all = List.of(sluice.origins().get("lc-a"), sluice.origins().get("lc-b"),
                sluice.origins().get("lc-c"));
        pool = Executors.newFixedThreadPool(2);
        List<Future<String>> slow = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            slow.add(pool.submit(() -> Http.servedBy(port, "/slow?ms=1500")));
            int busy = i;
            await().atMost(Duration.ofSeconds(2))
                    .until(() -> all.stream().mapToInt(TestBackend::inFlight).sum() == busy);
        }
        List<TestBackend> idle = all.stream().filter(b -> b.inFlight() == 0).toList();
        assertThat(idle).as("the second slow request went to an idle server").hasSize(1);
        String idleName = idle.get(0).name();
        Server idleServer = proxy.sluice().table().backend("pool").servers().stream()
                .filter(s -> s.port() == idle.get(0).port()).findFirst().orElseThrow();

        List<String> quick = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            // the proxy counts a request as finished just after it answers; wait for that
            await().atMost(Duration.ofSeconds(1)).until(() -> idleServer.state().active() == 0);
            quick.add(Http.servedBy(port, "/quick"));
        }

        assertThat(quick).containsOnly(idleName);
        Set<String> slowServers = new HashSet<>();
        for (Future<String> f : slow) {
            slowServers.add(f.get(5, TimeUnit.SECONDS));
        }
        assertThat(slowServers).hasSize(2).doesNotContain(idleName);
    }

    @Test
    void source_keepsEachClientAddressOnOneServer() throws Exception {
        int port = start("""
                frontend fe
                    default_backend pool
                backend pool
                    balance source
                    server a {{src-a}}
                    server b {{src-b}}
                    server c {{src-c}}
                """);
        Set<String> fromLocalhost = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            fromLocalhost.add(Http.servedByFrom("127.0.0.1", port, "/s"));
        }
        assertThat(fromLocalhost).hasSize(1);

        Set<String> overAll = new HashSet<>();
        for (int host = 2; host <= 9; host++) {
            Set<String> fromOne = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                fromOne.add(Http.servedByFrom("127.0.0." + host, port, "/s"));
            }
            assertThat(fromOne).as("from 127.0.0.%d", host).hasSize(1);
            overAll.addAll(fromOne);
        }
        assertThat(overAll).as("different addresses are spread").hasSizeGreaterThan(1)
                .allMatch(s -> s.startsWith("src-"));
    }

    @Test
    void backupServers_serveOnlyWhenEveryPrimaryIsDisabled_allOfThemWithAllbackups() throws Exception {
        RunningProxy proxy = sluice.startProxy("""
                frontend up
                    default_backend up
                frontend down
                    default_backend down
                backend up
                    server p1 {{primary}}
                    server bk {{backup}} backup
                backend down
                    option allbackups
                    server p1 {{primary}} disabled
                    server p2 {{primary}} disabled
                    server bk {{backup}} backup
                    server bk2 {{backup2}} backup
                """, null);

        assertThat(spread(proxy.port("up"), 6, "/")).isEqualTo(Map.of("primary", 6));
        assertThat(spread(proxy.port("down"), 6, "/")).isEqualTo(Map.of("backup", 3, "backup2", 3));
    }

    @Test
    void first_fillsTheFirstServerUpToItsMaxconnBeforeTheNext() throws Exception {
        int port = start("""
                frontend fe
                    default_backend pool
                backend pool
                    balance first
                    server a {{first-a}} maxconn 1
                    server b {{first-b}} maxconn 1
                    server c {{first-c}}
                """);
        assertThat(spread(port, 5, "/")).isEqualTo(Map.of("first-a", 5));

        pool = Executors.newFixedThreadPool(1);
        Future<String> slow = pool.submit(() -> Http.servedBy(port, "/slow?ms=1000"));
        await().atMost(Duration.ofSeconds(2)).until(() -> sluice.origins().get("first-a").inFlight() == 1);

        assertThat(spread(port, 3, "/")).isEqualTo(Map.of("first-b", 3));
        assertThat(slow.get(5, TimeUnit.SECONDS)).isEqualTo("first-a");
    }

    @Test
    void weightZero_receivesNoRequests() throws Exception {
        int port = start("""
                frontend fe
                    default_backend pool
                backend pool
                    server a {{w0}} weight 0
                    server b {{w-live}}
                """);

        assertThat(spread(port, 6, "/")).isEqualTo(Map.of("w-live", 6));
    }

    @Test
    void uriAndHeaderHashing_keepAKeyOnOneServer() throws Exception {
        int port = start("""
                frontend fe
                    use_backend byuser if { path_beg /user }
                    default_backend byuri
                backend byuri
                    balance uri
                    server a {{hash-a}}
                    server b {{hash-b}}
                    server c {{hash-c}}
                backend byuser
                    balance hdr(X-User)
                    server a {{hash-a}}
                    server b {{hash-b}}
                    server c {{hash-c}}
                """);
        Set<String> sameUri = new HashSet<>();
        Set<String> sameUser = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            sameUri.add(Http.servedBy(port, "/catalog/item?page=" + i));
            sameUser.add(Http.servedBy(port, "/user/" + i, "X-User: u-42"));
        }

        assertThat(sameUri).as("the query is not part of the key").hasSize(1);
        assertThat(sameUser).hasSize(1);
    }

    @Test
    void retriesWithRedispatch_hideARefusingServer() throws Exception {
        int refusing;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            refusing = s.getLocalPort();
        }
        int port = start("""
                frontend fe
                    default_backend pool
                backend pool
                    retries 2
                    option redispatch
                    server refusing 127.0.0.1:%d
                    server live {{redispatch-live}}
                """.formatted(refusing));

        assertThat(spread(port, 6, "/")).isEqualTo(Map.of("redispatch-live", 6));
    }

    // With every primary down, HAProxy sends all traffic to the first backup server and balances
    // over all backups only with "option allbackups" (checked against haproxy 2.6).
    @Test
    void backups_onlyTheFirstServesWithoutAllbackups() throws Exception {
        int port = start("""
                frontend fe
                    default_backend pool
                backend pool
                    server p1 {{bk-primary}} disabled
                    server b1 {{bk-first}} backup
                    server b2 {{bk-second}} backup
                """);

        for (int i = 0; i < 4; i++) {
            assertThat(Http.servedBy(port, "/")).isEqualTo("bk-first");
        }
    }
}
