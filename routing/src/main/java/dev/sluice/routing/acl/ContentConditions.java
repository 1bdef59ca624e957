package dev.sluice.routing.acl;

import dev.sluice.routing.Condition;
import dev.sluice.routing.TcpInspection.ContentCondition;
import dev.sluice.routing.config.AclExpr;
import dev.sluice.routing.config.ConditionConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Compiles {@code tcp-request content} conditions with HAProxy's three-valued logic: a test whose
 * fetch reads the ClientHello is a MISS while the hello may still arrive; {@code and} fails if a
 * term fails, else misses if one misses; {@code or} passes if a term passes, else misses if one
 * misses; negation keeps a miss.
 */
public final class ContentConditions {

    private final ConditionCompiler acls;
    private final Function<String, BasicAuth> userlists;

    public ContentConditions(ConditionCompiler acls, Function<String, BasicAuth> userlists) {
        this.acls = acls;
        this.userlists = userlists;
    }

    /** {@code null} compiles to {@link ContentCondition#ALWAYS}. */
    public ContentCondition compile(ConditionConfig condition) {
        if (condition == null) {
            return ContentCondition.ALWAYS;
        }
        List<ContentCondition> groups = new ArrayList<>();
        for (List<ConditionConfig.Term> group : condition.groups()) {
            List<ContentCondition> terms = new ArrayList<>();
            for (ConditionConfig.Term t : group) {
                ContentCondition c = t.anonymous() != null ? test(t.anonymous()) : named(t.aclName());
                terms.add(t.negated() ? not(c) : c);
            }
            groups.add(all(terms));
        }
        ContentCondition any = any(groups);
        return condition.unless() ? not(any) : any;
    }

    private ContentCondition named(String name) {
        List<AclExpr> lines = acls.lines(name);
        if (lines == null) {
            throw new IllegalArgumentException("unknown ACL '" + name + "' (expected an acl declared in this section)");
        }
        List<ContentCondition> tests = new ArrayList<>();
        for (AclExpr e : lines) {
            tests.add(test(e));
        }
        return any(tests);
    }

    private ContentCondition test(AclExpr expr) {
        Condition c = AclCompiler.compile(expr, userlists);
        Fetch.Resolved fetch = Fetch.resolve(expr.fetch());
        if (fetch != null && fetch.fetch().readsClientHello()) {
            return v -> v.helloPending() ? ContentCondition.MISS : c.test(v) ? ContentCondition.PASS : ContentCondition.FAIL;
        }
        return v -> c.test(v) ? ContentCondition.PASS : ContentCondition.FAIL;
    }

    private static ContentCondition not(ContentCondition c) {
        return v -> {
            int r = c.test(v);
            return r == ContentCondition.MISS ? r : r == ContentCondition.PASS ? ContentCondition.FAIL : ContentCondition.PASS;
        };
    }

    private static ContentCondition all(List<ContentCondition> terms) {
        ContentCondition[] array = terms.toArray(ContentCondition[]::new);
        return v -> {
            int result = ContentCondition.PASS;
            for (ContentCondition c : array) {
                int r = c.test(v);
                if (r == ContentCondition.FAIL) {
                    return r;
                }
                if (r == ContentCondition.MISS) {
                    result = r;
                }
            }
            return result;
        };
    }

    private static ContentCondition any(List<ContentCondition> terms) {
        ContentCondition[] array = terms.toArray(ContentCondition[]::new);
        return v -> {
            int result = ContentCondition.FAIL;
            for (ContentCondition c : array) {
                int r = c.test(v);
                if (r == ContentCondition.PASS) {
                    return r;
                }
                if (r == ContentCondition.MISS) {
                    result = r;
                }
            }
            return result;
        };
    }
}
