package dev.sluice.routing.acl;

import dev.sluice.routing.Condition;
import dev.sluice.routing.config.AclConfig;
import dev.sluice.routing.config.AclExpr;
import dev.sluice.routing.config.ConditionConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Compiles the ACLs of one proxy and the {@code if|unless} conditions that use them. */
public final class ConditionCompiler {

    private final Map<String, List<AclExpr>> acls;
    private final Function<String, BasicAuth> userlists;
    private final Map<String, Condition> named = new LinkedHashMap<>();

    public ConditionCompiler(List<AclConfig> acls, Function<String, BasicAuth> userlists) {
        Map<String, List<AclExpr>> byName = new LinkedHashMap<>();
        for (AclConfig a : acls) {
            byName.computeIfAbsent(a.name(), k -> new ArrayList<>()).add(a.expr());
        }
        this.acls = byName;
        this.userlists = userlists;
    }

    /** The tests of ACL {@code name} (several lines are OR-ed), predefined ones included; or {@code null}. */
    public List<AclExpr> lines(String name) {
        List<AclExpr> lines = acls.get(name);
        if (lines != null) {
            return lines;
        }
        AclExpr predefined = PredefinedAcls.get(name);
        return predefined == null ? null : List.of(predefined);
    }

    /** {@code null} compiles to {@link Condition#ALWAYS}. */
    public Condition compile(ConditionConfig condition) {
        if (condition == null) {
            return Condition.ALWAYS;
        }
        List<Condition> groups = new ArrayList<>();
        for (List<ConditionConfig.Term> group : condition.groups()) {
            List<Condition> terms = new ArrayList<>();
            for (ConditionConfig.Term t : group) {
                Condition c = t.anonymous() != null
                        ? AclCompiler.compile(t.anonymous(), userlists) : namedAcl(t.aclName());
                terms.add(t.negated() ? r -> !c.test(r) : c);
            }
            groups.add(all(terms));
        }
        Condition any = any(groups);
        return condition.unless() ? r -> !any.test(r) : any;
    }

    private Condition namedAcl(String name) {
        Condition c = named.get(name);
        if (c != null) {
            return c;
        }
        List<AclExpr> lines = lines(name);
        if (lines == null) {
            throw new IllegalArgumentException("unknown ACL '" + name + "' (expected an acl declared in this section)");
        }
        List<Condition> compiled = new ArrayList<>();
        for (AclExpr e : lines) {
            compiled.add(AclCompiler.compile(e, userlists));
        }
        c = any(compiled);
        named.put(name, c);
        return c;
    }

    private static Condition all(List<Condition> terms) {
        if (terms.size() == 1) {
            return terms.get(0);
        }
        Condition[] array = terms.toArray(Condition[]::new);
        return r -> {
            for (Condition c : array) {
                if (!c.test(r)) {
                    return false;
                }
            }
            return true;
        };
    }

    private static Condition any(List<Condition> terms) {
        if (terms.size() == 1) {
            return terms.get(0);
        }
        Condition[] array = terms.toArray(Condition[]::new);
        return r -> {
            for (Condition c : array) {
                if (c.test(r)) {
                    return true;
                }
            }
            return false;
        };
    }
}
