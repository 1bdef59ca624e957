package dev.sluice.routing;

import dev.sluice.routing.acl.ConditionCompiler;
import dev.sluice.routing.acl.IndexHint;
import dev.sluice.routing.config.AclExpr;
import dev.sluice.routing.config.ConditionConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chooses the index keys of a frontend's {@code use_backend} rules. Each OR-ed group of a
 * condition needs one plain (not negated) term whose every ACL line has literal keys; among a
 * group's candidate terms the one whose keys are shared by the fewest rules wins, so
 * {@code path_beg /} (every service on the root path) loses to an exact host, and a host shared
 * by many services loses to their distinct path prefixes.
 */
final class IndexPlanner {

    private final List<List<List<List<IndexHint>>>> alternatives = new ArrayList<>();
    private final Map<String, Integer> rulesPerKey = new HashMap<>();

    /** Registers the next rule's condition; call for every rule in order, then {@link #hints(int)}. */
    void add(ConditionConfig condition, ConditionCompiler conditions) {
        List<List<List<IndexHint>>> groups = candidates(condition, conditions);
        alternatives.add(groups);
        if (groups == null) {
            return;
        }
        Set<String> keys = new HashSet<>();
        for (List<List<IndexHint>> group : groups) {
            for (List<IndexHint> term : group) {
                for (IndexHint h : term) {
                    for (String k : h.keys()) {
                        keys.add(h.kind() + "\u0000" + k);
                    }
                }
            }
        }
        keys.forEach(k -> rulesPerKey.merge(k, 1, Integer::sum));
    }

    /** The keys of rule {@code index}, or {@code null} when it must be evaluated for every request. */
    List<IndexHint> hints(int index) {
        List<List<List<IndexHint>>> groups = alternatives.get(index);
        if (groups == null) {
            return null;
        }
        List<IndexHint> all = new ArrayList<>();
        for (List<List<IndexHint>> group : groups) {
            List<IndexHint> best = null;
            long bestCost = Long.MAX_VALUE;
            for (List<IndexHint> term : group) {
                long cost = cost(term);
                if (cost < bestCost) {
                    best = term;
                    bestCost = cost;
                }
            }
            all.addAll(best);
        }
        return all;
    }

    /** Rules sharing the term's most shared key; among equals, exact keys and longer keys first. */
    private long cost(List<IndexHint> term) {
        long worst = 0;
        for (IndexHint h : term) {
            boolean prefix = h.kind() == IndexHint.Kind.PATH_PREFIX || h.kind() == IndexHint.Kind.HOST_PREFIX;
            for (String k : h.keys()) {
                long shared = rulesPerKey.getOrDefault(h.kind() + "\u0000" + k, 1);
                long tieBreak = (prefix ? 2_000 : 0) + Math.max(0, 1_000 - k.length());
                worst = Math.max(worst, shared * 10_000 + tieBreak);
            }
        }
        return worst;
    }

    private static List<List<List<IndexHint>>> candidates(ConditionConfig condition, ConditionCompiler conditions) {
        if (condition == null || condition.unless()) {
            return null;
        }
        List<List<List<IndexHint>>> groups = new ArrayList<>();
        for (List<ConditionConfig.Term> group : condition.groups()) {
            List<List<IndexHint>> terms = new ArrayList<>();
            for (ConditionConfig.Term t : group) {
                List<IndexHint> h = t.negated() ? null : termHints(t, conditions);
                if (h != null) {
                    terms.add(h);
                }
            }
            if (terms.isEmpty()) {
                return null;
            }
            groups.add(terms);
        }
        return groups;
    }

    private static List<IndexHint> termHints(ConditionConfig.Term t, ConditionCompiler conditions) {
        List<AclExpr> lines = t.anonymous() != null ? List.of(t.anonymous()) : conditions.lines(t.aclName());
        if (lines == null) {
            return null;
        }
        List<IndexHint> out = new ArrayList<>();
        for (AclExpr e : lines) {
            IndexHint h = IndexHint.of(e);
            if (h == null) {
                return null;
            }
            out.add(h);
        }
        return out;
    }
}
