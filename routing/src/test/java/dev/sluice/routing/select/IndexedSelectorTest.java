package dev.sluice.routing.select;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.Backend;
import dev.sluice.routing.Condition;
import dev.sluice.routing.Configs;
import dev.sluice.routing.RoutingCompiler;
import dev.sluice.routing.RoutingTable;
import dev.sluice.routing.TestRequest;
import dev.sluice.routing.acl.ConditionCompiler;
import dev.sluice.routing.config.FrontendConfig;
import dev.sluice.routing.config.ProxyConfig;
import dev.sluice.routing.config.UseBackendConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IndexedSelectorTest {

    private static final String[] PATHS = {"/", "/api", "/api/", "/api/v1", "/API/v1", "/apix", "/static/a.css",
        "/x/y", "/a", "/A", "/.well-known/acme", ""};
    private static final String[] HOSTS = {"a.com", "A.COM", "www.a.com", "a.com:8080", "api.b.com", "b.com",
        "x.a.com.b", "a", "api.", "b.com, a.com"};
    private static final String[] METHODS = {"GET", "POST"};

    static String pick(Random r, String[] values) {
        return values[r.nextInt(values.length)];
    }

    private static String patterns(Random r, String[] pool) {
        StringBuilder b = new StringBuilder();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            String v = pick(r, pool);
            b.append(' ').append(v.isEmpty() || v.contains(" ") ? "\"" + v + "\"" : v);
        }
        return b.toString();
    }

    static String randomAcl(Random r) {
        String[] hostPool = {"a.com", "A.com", "www.a.com", "a.com:8080", "api", "api.", "b.com", "com", ".a.com"};
        return switch (r.nextInt(14)) {
            case 0 -> "path" + patterns(r, PATHS);
            case 1 -> "path_beg" + patterns(r, PATHS);
            case 2 -> "path -i" + patterns(r, PATHS);
            case 3 -> "path_beg -i" + patterns(r, PATHS);
            case 4 -> "hdr(host)" + patterns(r, hostPool);
            case 5 -> "hdr(host) -i" + patterns(r, hostPool);
            case 6 -> "hdr_dom(host) -i" + patterns(r, hostPool);
            case 7 -> "hdr_beg(host)" + patterns(r, hostPool);
            case 8 -> "hdr_end(host) -i" + patterns(r, hostPool);
            case 9 -> "method" + patterns(r, METHODS);
            case 10 -> "path_reg ^/a";
            case 11 -> "hdr(host),lower" + patterns(r, hostPool);
            case 12 -> "path -m beg" + patterns(r, PATHS);
            default -> "req.hdr(Host) -m dom" + patterns(r, hostPool);
        };
    }

    static String randomCondition(Random r, int acls) {
        StringBuilder b = new StringBuilder(r.nextInt(8) == 0 ? " unless" : " if");
        int groups = 1 + (r.nextInt(4) == 0 ? 1 : 0);
        for (int g = 0; g < groups; g++) {
            if (g > 0) {
                b.append(" ||");
            }
            int terms = 1 + r.nextInt(2);
            for (int t = 0; t < terms; t++) {
                b.append(' ');
                if (r.nextInt(6) == 0) {
                    b.append('!');
                }
                if (r.nextInt(3) == 0) {
                    b.append("{ ").append(randomAcl(r)).append(" }");
                } else {
                    b.append("acl").append(r.nextInt(acls));
                }
            }
        }
        return b.toString();
    }

    private static String randomConfig(Random r) {
        StringBuilder b = new StringBuilder("frontend f\n");
        int acls = 1 + r.nextInt(8);
        for (int i = 0; i < acls; i++) {
            b.append(" acl acl").append(i).append(' ').append(randomAcl(r)).append('\n');
            if (r.nextInt(4) == 0) {
                b.append(" acl acl").append(i).append(' ').append(randomAcl(r)).append('\n');
            }
        }
        int rules = 1 + r.nextInt(25);
        for (int i = 0; i < rules; i++) {
            b.append(" use_backend b").append(i % 7);
            if (r.nextInt(20) != 0) {
                b.append(randomCondition(r, acls));
            }
            b.append('\n');
        }
        if (r.nextBoolean()) {
            b.append(" default_backend b6\n");
        }
        for (int i = 0; i < 7; i++) {
            b.append("backend b").append(i).append('\n');
        }
        return b.toString();
    }

    static TestRequest randomRequest(Random r) {
        String path = pick(r, PATHS);
        TestRequest req = TestRequest.get(path.isEmpty() ? "/" : path + (r.nextBoolean() ? "?q=1" : ""))
                .method(pick(r, METHODS));
        int hosts = r.nextInt(3);
        for (int i = 0; i < hosts; i++) {
            req.host(pick(r, HOSTS));
        }
        return req;
    }

    /** The reference: every use_backend rule in order, conditions compiled on their own. */
    static String linear(ProxyConfig config, TestRequest request) {
        FrontendConfig f = config.frontend("f");
        ConditionCompiler compiler = new ConditionCompiler(f.acls(), name -> null);
        for (UseBackendConfig u : f.useBackends()) {
            Condition c = compiler.compile(u.condition());
            if (c.test(request)) {
                return u.backend();
            }
        }
        return f.defaultBackend();
    }

    @Test
    void indexedSelection_equalsLinearScan_overRandomRulesAndRequests() {
        Random random = new Random(20240611L);
        int indexedRules = 0;
        for (int round = 0; round < 400; round++) {
            String text = randomConfig(random);
            ProxyConfig config = Configs.parse(text);
            RoutingTable table = RoutingCompiler.compile(config, null);
            IndexedSelector selector = (IndexedSelector) table.frontend("f").selector();
            indexedRules += config.frontend("f").useBackends().size() - selector.unindexedCount();
            for (int i = 0; i < 60; i++) {
                TestRequest request = randomRequest(random);
                Backend b = table.frontend("f").select(request);
                assertThat(b == null ? null : b.name())
                        .as("config:\n%s\nrequest: %s", text, request)
                        .isEqualTo(linear(config, request));
            }
        }
        assertThat(indexedRules).as("rules that went into an index").isGreaterThan(1000);
    }

    @Test
    void thousandsOfServiceRules_areIndexedAndKeepFirstMatchOrder() {
        StringBuilder b = new StringBuilder("frontend f\n");
        for (int i = 0; i < 3000; i++) {
            b.append(" acl url_s").append(i).append(" path_beg /s").append(i).append("/\n");
            b.append(" acl dom_s").append(i).append(" hdr(host) -i s").append(i).append(".example.com\n");
            b.append(" use_backend s").append(i).append(" if url_s").append(i).append(" dom_s").append(i).append('\n');
        }
        b.append(" use_backend catchall if { path_beg / }\n");
        for (int i = 0; i < 3000; i++) {
            b.append("backend s").append(i).append('\n');
        }
        b.append("backend catchall\n");
        RoutingTable table = Configs.compile(b.toString());
        IndexedSelector selector = (IndexedSelector) table.frontend("f").selector();
        assertThat(selector.unindexedCount()).isZero();
        assertThat(Configs.route(table, "f", TestRequest.get("/s2999/x").host("S2999.example.com"))).isEqualTo("s2999");
        assertThat(Configs.route(table, "f", TestRequest.get("/s12/x").host("s13.example.com"))).isEqualTo("catchall");
        assertThat(Configs.route(table, "f", TestRequest.get("/s7/").host("s7.example.com"))).isEqualTo("s7");
    }

    @Test
    void servicesOnTheRootPath_areIndexedByTheirHost() {
        StringBuilder b = new StringBuilder("frontend f\n");
        for (int i = 0; i < 500; i++) {
            b.append(" acl url_s").append(i).append(" path_beg /\n");
            b.append(" acl dom_s").append(i).append(" hdr(host) -i s").append(i).append(".example.com\n");
            b.append(" use_backend s").append(i).append(" if url_s").append(i).append(" dom_s").append(i).append('\n');
        }
        for (int i = 0; i < 500; i++) {
            b.append("backend s").append(i).append('\n');
        }
        RoutingTable table = Configs.compile(b.toString());
        AtomicInteger evaluated = new AtomicInteger();
        TestRequest counting = new TestRequest() {
            @Override
            public String path() {
                evaluated.incrementAndGet();
                return super.path();
            }
        }.uri("/x").host("s321.example.com");
        assertThat(Configs.route(table, "f", counting)).isEqualTo("s321");
        // one lookup for the index, one for the single candidate rule's path_beg
        assertThat(evaluated.get()).isLessThanOrEqualTo(2);
    }

    @Test
    void servicesSharingOneHost_areIndexedByTheirPath() {
        StringBuilder b = new StringBuilder("frontend f\n");
        for (int i = 0; i < 500; i++) {
            b.append(" acl dom_s").append(i).append(" hdr(host) -i shared.example.com\n");
            b.append(" acl url_s").append(i).append(" path_beg /s").append(i).append("/\n");
            b.append(" use_backend s").append(i).append(" if dom_s").append(i).append(" url_s").append(i).append('\n');
        }
        for (int i = 0; i < 500; i++) {
            b.append("backend s").append(i).append('\n');
        }
        RoutingTable table = Configs.compile(b.toString());
        AtomicInteger hostReads = new AtomicInteger();
        TestRequest counting = new TestRequest() {
            @Override
            public List<String> headerLines(String name) {
                hostReads.incrementAndGet();
                return super.headerLines(name);
            }
        }.uri("/s444/x").host("shared.example.com");
        assertThat(Configs.route(table, "f", counting)).isEqualTo("s444");
        assertThat(hostReads.get()).isLessThanOrEqualTo(2);
    }

    @Test
    void unindexableRules_areStillEvaluatedInOrder() {
        String text = "frontend f\n use_backend first if { path_beg /api }\n use_backend second if { method POST }\n"
                + " use_backend third if { path /api/x }\nbackend first\nbackend second\nbackend third\n";
        RoutingTable t = Configs.compile(text);
        assertThat(Configs.route(t, "f", TestRequest.get("/api/x").method("POST"))).isEqualTo("first");
        assertThat(Configs.route(t, "f", TestRequest.get("/other").method("POST"))).isEqualTo("second");
        assertThat(Configs.route(t, "f", TestRequest.get("/other"))).isNull();
        assertThat(((IndexedSelector) t.frontend("f").selector()).unindexedCount()).isEqualTo(1);
    }

    @Test
    void linearSelector_returnsTheFirstRuleThatHolds() {
        Backend a = new Backend("a", null, List.of(), null, null, 0, false, null, null, List.of(), List.of(), null);
        Backend d = new Backend("d", null, List.of(), null, null, 0, false, null, null, List.of(), List.of(), null);
        List<SelectorRule> rules = new ArrayList<>();
        rules.add(new SelectorRule(req -> false, null, d));
        rules.add(new SelectorRule(Condition.ALWAYS, null, a));
        assertThat(new LinearSelector(rules, d).select(TestRequest.get("/"))).isSameAs(a);
        assertThat(new LinearSelector(List.of(), d).select(TestRequest.get("/"))).isSameAs(d);
    }
}
