package dev.sluice.routing.select;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.Backend;
import dev.sluice.routing.Configs;
import dev.sluice.routing.RoutingCompiler;
import dev.sluice.routing.RoutingTable;
import dev.sluice.routing.TestRequest;
import dev.sluice.routing.config.ProxyConfig;
import dev.sluice.routing.config.FrontendConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A table compiled from the table before (rules taken over, selector re-filed in part) routes
 * like every rule tested in order, over chains of random edits: ACL lines replaced (so rules
 * naming them must be recompiled), rules inserted, removed and replaced.
 */
class IncrementalSelectorTest {

    private static final int ACLS = 6;

    private static String text(List<String> acls, List<String> rules, boolean withDefault) {
        StringBuilder b = new StringBuilder("frontend f\n");
        acls.forEach(a -> b.append(" acl ").append(a).append('\n'));
        rules.forEach(r -> b.append(" use_backend ").append(r).append('\n'));
        if (withDefault) {
            b.append(" default_backend b6\n");
        }
        for (int i = 0; i < 7; i++) {
            b.append("backend b").append(i).append('\n');
        }
        return b.toString();
    }

    private static String randomRule(Random r) {
        return "b" + r.nextInt(7) + (r.nextInt(20) == 0 ? "" : IndexedSelectorTest.randomCondition(r, ACLS));
    }

    private static void edit(Random r, List<String> acls, List<String> rules) {
        switch (r.nextInt(6)) {
            case 0 -> {
                int k = r.nextInt(acls.size());
                acls.set(k, acls.get(k).split(" ")[0] + " " + IndexedSelectorTest.randomAcl(r));
            }
            case 5 -> acls.add(r.nextInt(acls.size() + 1), "acl" + r.nextInt(ACLS) + " " + IndexedSelectorTest.randomAcl(r));
            case 1 -> rules.add(r.nextInt(rules.size() + 1), randomRule(r));
            case 2 -> {
                if (rules.size() > 1) {
                    rules.remove(r.nextInt(rules.size()));
                }
            }
            case 3 -> rules.set(r.nextInt(rules.size()), randomRule(r));
            default -> {
                int at = r.nextInt(rules.size() + 1);
                for (int i = 0; i < 1 + r.nextInt(4); i++) {
                    rules.add(at, randomRule(r));
                }
            }
        }
    }

    @Test
    void tableCompiledFromTheOneBefore_routesLikeALinearScan_overChainsOfRandomEdits() {
        Random random = new Random(20250118L);
        int takenOver = 0;
        for (int round = 0; round < 120; round++) {
            List<String> acls = new ArrayList<>();
            for (int i = 0; i < ACLS; i++) {
                acls.add("acl" + i + " " + IndexedSelectorTest.randomAcl(random));
            }
            List<String> rules = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(30); i++) {
                rules.add(randomRule(random));
            }
            boolean withDefault = random.nextBoolean();
            ProxyConfig config = Configs.parse(text(acls, rules, withDefault));
            RoutingTable table = RoutingCompiler.compile(config, null);
            for (int step = 0; step < 6; step++) {
                edit(random, acls, rules);
                String text = text(acls, rules, withDefault);
                ProxyConfig next = keepObjects(Configs.parse(text), config, random.nextBoolean());
                RoutingTable nextTable = RoutingCompiler.compile(next, config, table);
                takenOver += takenOver(table, nextTable);
                assertFiledLikeAFreshSelector((IndexedSelector) nextTable.frontend("f").selector(), text);
                for (int i = 0; i < 40; i++) {
                    TestRequest request = IndexedSelectorTest.randomRequest(random);
                    Backend b = nextTable.frontend("f").select(request);
                    assertThat(b == null ? null : b.name())
                            .as("config:\n%s\nrequest: %s", text, request)
                            .isEqualTo(IndexedSelectorTest.linear(next, request));
                }
                config = next;
                table = nextTable;
            }
        }
        assertThat(takenOver).as("rules taken over from the table before").isGreaterThan(2000);
    }

    /**
     * {@code next} with the backends (and, when {@code lines}, the acl and use_backend lines)
     * that equal one of {@code before} replaced by that object, as the service registry keeps
     * the objects of the services that did not change.
     */
    private static ProxyConfig keepObjects(ProxyConfig next, ProxyConfig before, boolean lines) {
        Map<Object, Object> old = new HashMap<>();
        before.backends().forEach(b -> old.put(b, b));
        FrontendConfig f = next.frontend("f");
        if (lines) {
            before.frontend("f").acls().forEach(a -> old.put(a, a));
            before.frontend("f").useBackends().forEach(u -> old.put(u, u));
            f = f.withUseBackends(same(f.useBackends(), old), same(f.acls(), old));
        }
        return new ProxyConfig(next.global(), List.of(f), same(next.backends(), old), next.userlists(),
                next.resolvers());
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> same(List<T> values, Map<Object, Object> old) {
        return values.stream().map(v -> (T) old.getOrDefault(v, v)).toList();
    }

    /** The lookup does the same work as on a fresh table: each rule is filed under the same keys. */
    private static void assertFiledLikeAFreshSelector(IndexedSelector selector, String text) {
        List<SelectorRule> rules = new ArrayList<>();
        for (int i = 0; i < selector.size(); i++) {
            rules.add(selector.rule(i));
        }
        IndexedSelector fresh = new IndexedSelector(rules, null);
        assertThat(selector.chosen).as("keys per rule, config:\n%s", text).containsExactly(fresh.chosen);
        assertThat(selector.unindexedCount()).isEqualTo(fresh.unindexedCount());
    }

    /** How many rules of {@code next} are the very objects of {@code before}. */
    private static int takenOver(RoutingTable before, RoutingTable next) {
        IndexedSelector a = (IndexedSelector) before.frontend("f").selector();
        IndexedSelector b = (IndexedSelector) next.frontend("f").selector();
        java.util.Set<SelectorRule> old = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int i = 0; i < a.size(); i++) {
            old.add(a.rule(i));
        }
        int n = 0;
        for (int i = 0; i < b.size(); i++) {
            n += old.contains(b.rule(i)) ? 1 : 0;
        }
        return n;
    }
}
