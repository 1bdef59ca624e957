package dev.sluice.routing.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.HttpAction;
import dev.sluice.routing.HttpRule;
import dev.sluice.routing.RoutingCompiler;
import dev.sluice.routing.RoutingTable;
import dev.sluice.routing.TestRequest;
import dev.sluice.routing.config.ProxyConfig;
import dev.sluice.routing.select.IndexedSelector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A reconfigure compiles the table from the one before, taking over what did not change; the
 * table must route every request as a table compiled from nothing would. Services are kept as
 * the registry keeps them: the same spec object while a service does not change.
 */
class IncrementalCompileTest {

    private static final String[] PATHS = {"/", "/.well-known/acme-challenge/t", "/api", "/api/x", "/api/v2/x",
        "/shop/a", "/store/a", "/blog/1", "/nothing", "/s7/x", "/s42", "/s199/y", "/t3/z"};
    private static final String[] HOSTS = {null, "shop.example.com", "SHOP.example.com", "s7.example.com",
        "s42.example.com:8080", "other.org"};
    private static final String[] PROTOS = {null, "http"};

    private final ProxyConfig base = ServiceConfigsTest.base();
    private final Map<String, ServiceSpec> services = new LinkedHashMap<>();
    private final ServiceFragments fragments = new ServiceFragments();
    private ProxyConfig config;
    private RoutingTable table;

    private void put(String query) throws ServiceException {
        ServiceSpec s = ServiceConfigsTest.spec(query);
        services.put(s.serviceName(), s);
    }

    /** Builds and compiles from the table before, checking every request against a fresh compile. */
    private RoutingTable reconfigure() throws ServiceException {
        ProxyConfig next = ServiceConfigs.build(base, services.values(), ServiceDefaults.DFP, fragments);
        RoutingTable incremental = RoutingCompiler.compile(next, config, table);
        RoutingTable fresh = RoutingCompiler.compile(next, null);
        for (TestRequest request : requests()) {
            assertThat(route(incremental, request)).as("%s with services %s", request, services.keySet())
                    .isEqualTo(route(fresh, request));
            assertThat(requestRulesThatApply(incremental, request)).as("http-request rules for %s", request)
                    .isEqualTo(requestRulesThatApply(fresh, request));
        }
        config = next;
        table = incremental;
        return incremental;
    }

    private static List<TestRequest> requests() {
        List<TestRequest> all = new ArrayList<>();
        for (String path : PATHS) {
            for (String host : HOSTS) {
                for (String proto : PROTOS) {
                    TestRequest r = TestRequest.get(path);
                    r = host == null ? r : r.host(host);
                    all.add(proto == null ? r : r.header("X-Forwarded-Proto", proto));
                }
            }
        }
        return all;
    }

    /** The actions of the frontend's http-request rules whose condition holds for {@code request}, in order. */
    private static List<HttpAction> requestRulesThatApply(RoutingTable t, TestRequest request) {
        List<HttpAction> out = new ArrayList<>();
        for (HttpRule r : t.frontend(ServiceConfigs.SERVICES).requestRules()) {
            if (r.condition().test(request)) {
                out.add(r.action());
            }
        }
        return out;
    }

    private static String route(RoutingTable t, TestRequest request) {
        return ServiceConfigsTest.route(t, request);
    }

    private String backendOf(String service) {
        return ServiceConfigs.backendNames(services.get(service)).get(0);
    }

    private static IndexedSelector selector(RoutingTable t) {
        return (IndexedSelector) t.frontend(ServiceConfigs.SERVICES).selector();
    }

    @Test
    void addChangeAndRemove_routeLikeAFreshCompile_inDockerFlowProxysOrder() throws Exception {
        put("serviceName=zzz-acme&servicePath=/.well-known/acme-challenge&port=80");
        put("serviceName=root&servicePath=/&port=80");
        put("serviceName=api&servicePath=/api&port=80");
        put("serviceName=api-v2&servicePath=/api/v2&port=80");
        put("serviceName=shop&servicePath=/shop&serviceDomain=shop.example.com&port=80&redirectWhenHttpProto=true");
        RoutingTable t = reconfigure();
        TestRequest plainShop = TestRequest.get("/shop/a").host("shop.example.com").header("X-Forwarded-Proto", "http");
        assertThat(requestRulesThatApply(t, plainShop)).as("shop's redirect to https").hasSize(1);
        // well-known first though its name sorts last, then by aclName, the root path last
        assertThat(route(t, TestRequest.get("/.well-known/acme-challenge/t"))).isEqualTo(backendOf("zzz-acme"));
        assertThat(route(t, TestRequest.get("/api/v2/x"))).isEqualTo(backendOf("api"));
        assertThat(route(t, TestRequest.get("/shop/a").host("shop.example.com"))).isEqualTo(backendOf("shop"));
        assertThat(route(t, TestRequest.get("/shop/a").host("other.org"))).isEqualTo(backendOf("root"));

        put("serviceName=blog&servicePath=/blog&port=80");
        RoutingTable added = reconfigure();
        assertThat(route(added, TestRequest.get("/blog/1"))).isEqualTo(backendOf("blog"));
        assertThat(selector(added).rule(0)).as("the unchanged first service's rule, taken over")
                .isSameAs(selector(t).rule(0));

        put("serviceName=shop&servicePath=/store&serviceDomain=shop.example.com&port=80&redirectWhenHttpProto=true");
        RoutingTable changed = reconfigure();
        assertThat(requestRulesThatApply(changed, plainShop)).as("shop's redirect follows its new path").isEmpty();
        assertThat(requestRulesThatApply(changed, TestRequest.get("/store/a").host("shop.example.com")
                .header("X-Forwarded-Proto", "http"))).hasSize(1);
        assertThat(route(changed, TestRequest.get("/store/a").host("shop.example.com"))).isEqualTo(backendOf("shop"));
        assertThat(route(changed, TestRequest.get("/shop/a").host("shop.example.com"))).isEqualTo(backendOf("root"));

        String apiBackend = backendOf("api");
        services.remove("api");
        RoutingTable removed = reconfigure();
        assertThat(route(removed, TestRequest.get("/api/v2/x"))).isEqualTo(backendOf("api-v2"));
        assertThat(route(removed, TestRequest.get("/api/x"))).isEqualTo(backendOf("root"));
        assertThat(changed.backend(apiBackend)).isNotNull();
        assertThat(removed.backend(apiBackend)).isNull();

        // blog moves to the root path: now among the last, before root by name
        put("serviceName=blog&servicePath=/&port=80");
        RoutingTable moved = reconfigure();
        assertThat(route(moved, TestRequest.get("/nothing"))).isEqualTo(backendOf("blog"));
        assertThat(route(moved, TestRequest.get("/store/a").host("shop.example.com"))).isEqualTo(backendOf("shop"));
    }

    @Test
    void randomReconfigures_ofManyServices_routeLikeAFreshCompile() throws Exception {
        Random random = new Random(7L);
        for (int i = 0; i < 200; i++) {
            put(randomService(random, "s" + i));
        }
        reconfigure();
        for (int step = 0; step < 60; step++) {
            String name = "s" + random.nextInt(220);
            switch (random.nextInt(3)) {
                case 0 -> services.remove(name);
                default -> put(randomService(random, name));
            }
            reconfigure();
        }
        assertThat(selector(table).size()).isGreaterThan(150);
    }

    private static String randomService(Random r, String name) {
        String path = switch (r.nextInt(6)) {
            case 0 -> "/";
            case 1 -> "/.well-known/" + name;
            case 2 -> "/" + name + ",/t" + r.nextInt(5);
            default -> "/" + name;
        };
        String query = "serviceName=" + name + "&servicePath=" + path + "&port=" + (80 + r.nextInt(2))
                + (r.nextInt(4) == 0 ? "&redirectWhenHttpProto=true" : "");
        return switch (r.nextInt(3)) {
            case 0 -> query + "&serviceDomain=" + name + ".example.com";
            case 1 -> query + "&serviceDomain=shop.example.com";
            default -> query;
        };
    }
}
