package dev.sluice.routing;

import dev.sluice.routing.acl.ConditionCompiler;
import dev.sluice.routing.acl.IndexHint;
import dev.sluice.routing.config.AclExpr;
import dev.sluice.routing.config.ConditionConfig;
import dev.sluice.routing.select.RuleKeys;
import java.util.ArrayList;
import java.util.List;

/**
 * The index keys a {@code use_backend} rule could be filed under: each OR-ed group of its
 * condition needs one plain (not negated) term whose every ACL line has literal keys. Which of a
 * group's candidate terms is used depends on how many rules share its keys, which the selector
 * counts (see {@link RuleKeys}).
 */
final class IndexPlanner {

    private IndexPlanner() {
    }

    /** The candidate keys of {@code condition}, or {@code null} when it must be evaluated for every request. */
    static RuleKeys keys(ConditionConfig condition, ConditionCompiler conditions) {
        List<List<List<IndexHint>>> groups = candidates(condition, conditions);
        return groups == null ? null : RuleKeys.of(groups);
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
