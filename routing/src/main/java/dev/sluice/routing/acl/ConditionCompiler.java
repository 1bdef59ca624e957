package dev.sluice.routing.acl;

import dev.sluice.routing.Condition;
import dev.sluice.routing.config.AclConfig;
import dev.sluice.routing.config.AclExpr;
import dev.sluice.routing.config.ConditionConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Compiles the ACLs of one proxy and the {@code if|unless} conditions that use them. */
public final class ConditionCompiler {

    private final List<AclConfig> declared;
    private final Function<String, BasicAuth> userlists;
    private final Map<String, Condition> named = new LinkedHashMap<>();
    /** The lines of {@code declared} by name: all of them, or those of {@code only} when it is set. */
    private Map<String, List<AclExpr>> acls;
    private Set<String> only;

    public ConditionCompiler(List<AclConfig> acls, Function<String, BasicAuth> userlists) {
        this.declared = acls;
        this.userlists = userlists;
    }

    /**
     * A compiler that gathers the lines of the ACLs {@code names} only, in one pass over
     * {@code acls} (and all of them when asked for another name): for recompiling the few rules of
     * a large frontend that changed.
     */
    public static ConditionCompiler forNames(List<AclConfig> acls, Set<String> names,
                                             Function<String, BasicAuth> userlists) {
        ConditionCompiler c = new ConditionCompiler(acls, userlists);
        c.only = Set.copyOf(names);
        c.acls = byName(acls, c.only);
        return c;
    }

    private static Map<String, List<AclExpr>> byName(List<AclConfig> acls, Set<String> only) {
        Map<String, List<AclExpr>> byName = new LinkedHashMap<>();
        for (AclConfig a : acls) {
            if (only == null || only.contains(a.name())) {
                byName.computeIfAbsent(a.name(), k -> new ArrayList<>()).add(a.expr());
            }
        }
        return byName;
    }

    /** The tests of ACL {@code name} (several lines are OR-ed), predefined ones included; or {@code null}. */
    public List<AclExpr> lines(String name) {
        if (acls == null || only != null && !only.contains(name)) {
            acls = byName(declared, null);
            only = null;
        }
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
