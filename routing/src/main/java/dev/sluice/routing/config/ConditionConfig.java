package dev.sluice.routing.config;

import java.util.List;

/**
 * An {@code if|unless} condition: {@code groups} are OR-ed, the terms of a group AND-ed.
 */
public record ConditionConfig(boolean unless, List<List<Term>> groups) {

    public ConditionConfig {
        groups = groups.stream().map(List::copyOf).toList();
    }

    /** A named ACL ({@code aclName}) or an anonymous one ({@code anonymous}), maybe negated. */
    public record Term(boolean negated, String aclName, AclExpr anonymous) {
    }
}
