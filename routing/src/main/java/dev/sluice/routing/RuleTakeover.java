package dev.sluice.routing;

import dev.sluice.routing.acl.BasicAuth;
import dev.sluice.routing.acl.ConditionCompiler;
import dev.sluice.routing.config.AclConfig;
import dev.sluice.routing.config.ConditionConfig;
import dev.sluice.routing.config.HttpRuleConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Taking a proxy's compiled rules over from the table before. Rules are matched by place,
 * counted from the start or from the end of the two lists, so a service added or removed in
 * between shifts nothing; a rule is taken over when its configuration is equal (the very object,
 * or an equal one) and no ACL it names has other lines now. Only the other rules are compiled.
 */
final class RuleTakeover {

    private RuleTakeover() {
    }

    /**
     * Per rule of {@code now}: {@code keep} applied to it and the compiled rule of {@code old}
     * at the same place, when there is one with an equal configuration; else {@code null}.
     */
    static <C, R> List<R> takeOver(List<C> now, List<C> old, IntFunction<R> oldCompiled, BiFunction<C, R, R> keep) {
        int n = now.size();
        int m = old.size();
        int p = commonPrefix(now, old);
        int s = commonSuffix(now, old, p);
        List<R> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int j = i < p ? i : i >= n - s ? i - n + m : -1;
            out.add(j < 0 ? null : keep.apply(now.get(i), oldCompiled.apply(j)));
        }
        return out;
    }

    /**
     * The names of the ACLs whose lines differ between {@code before} and {@code now}: those
     * declared between the longest common start and the longest common end of the two lists.
     */
    static Set<String> changedAclNames(List<AclConfig> before, List<AclConfig> now) {
        int p = commonPrefix(now, before);
        int s = commonSuffix(now, before, p);
        Set<String> names = new HashSet<>();
        for (int i = p; i < before.size() - s; i++) {
            names.add(before.get(i).name());
        }
        for (int i = p; i < now.size() - s; i++) {
            names.add(now.get(i).name());
        }
        return names;
    }

    /** Whether {@code condition} names one of {@code names}. */
    static boolean namesAny(ConditionConfig condition, Set<String> names) {
        if (condition == null || names.isEmpty()) {
            return false;
        }
        for (List<ConditionConfig.Term> group : condition.groups()) {
            for (ConditionConfig.Term t : group) {
                if (t.aclName() != null && names.contains(t.aclName())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A compiler for {@code todo}, the conditions still to compile out of {@code total} rules:
     * when they are few, one that gathers only the lines of the ACLs they name, not all of them.
     */
    private static ConditionCompiler compilerFor(List<ConditionConfig> todo, int total, List<AclConfig> acls,
                                         ConditionCompiler all, Function<String, BasicAuth> userlists) {
        if (todo.size() * 4 > total) {
            return all;
        }
        Set<String> names = new HashSet<>();
        for (ConditionConfig c : todo) {
            if (c != null) {
                c.groups().forEach(g -> g.forEach(t -> {
                    if (t.aclName() != null) {
                        names.add(t.aclName());
                    }
                }));
            }
        }
        return ConditionCompiler.forNames(acls, names, userlists);
    }

    /**
     * A frontend's http-request or http-response rules, taking over those of {@code oldRules}
     * (compiled from {@code old}) that still hold.
     *
     * @param old {@code null} when nothing may be taken over
     */
    static List<HttpRule> httpRules(List<HttpRuleConfig> now, List<HttpRuleConfig> old, List<HttpRule> oldRules,
                                    Set<String> changedAcls, List<AclConfig> acls, ConditionCompiler all,
                                    Function<String, BasicAuth> userlists) {
        if (now.isEmpty()) {
            return List.of();
        }
        List<HttpRule> out = old == null || oldRules.size() != old.size()
                ? new ArrayList<>(java.util.Collections.nCopies(now.size(), null))
                : takeOver(now, old, oldRules::get, (c, r) -> namesAny(c.condition(), changedAcls) ? null : r);
        compileMissing(out, now, HttpRuleConfig::condition, acls, all, userlists,
                (r, c) -> new HttpRule(r.action().toAction(), c.compile(r.condition())));
        return List.copyOf(out);
    }

    /**
     * Fills every {@code null} of {@code out} (what was not taken over) with {@code compile} of
     * the rule at the same place of {@code now}, through one compiler for all of them
     * ({@link #compilerFor}).
     */
    static <C, R> void compileMissing(List<R> out, List<C> now, Function<C, ConditionConfig> condition,
                                      List<AclConfig> acls, ConditionCompiler all,
                                      Function<String, BasicAuth> userlists,
                                      BiFunction<C, ConditionCompiler, R> compile) {
        List<ConditionConfig> todo = new ArrayList<>();
        for (int i = 0; i < now.size(); i++) {
            if (out.get(i) == null) {
                todo.add(condition.apply(now.get(i)));
            }
        }
        if (todo.isEmpty()) {
            return;
        }
        ConditionCompiler c = compilerFor(todo, now.size(), acls, all, userlists);
        for (int i = 0; i < now.size(); i++) {
            if (out.get(i) == null) {
                out.set(i, compile.apply(now.get(i), c));
            }
        }
    }

    static <T> int commonPrefix(List<T> a, List<T> b) {
        return commonPrefix(a, b, RuleTakeover::same);
    }

    /** The length of the common start of {@code a} and {@code b}, elements compared with {@code same}. */
    static <T> int commonPrefix(List<T> a, List<T> b, BiPredicate<? super T, ? super T> same) {
        int max = Math.min(a.size(), b.size());
        int p = 0;
        while (p < max && same.test(a.get(p), b.get(p))) {
            p++;
        }
        return p;
    }

    /** The length of the common end of {@code a} and {@code b} that does not overlap their first {@code prefix}. */
    static <T> int commonSuffix(List<T> a, List<T> b, int prefix) {
        return commonSuffix(a, b, prefix, RuleTakeover::same);
    }

    /** Like the other, elements compared with {@code same}. */
    static <T> int commonSuffix(List<T> a, List<T> b, int prefix, BiPredicate<? super T, ? super T> same) {
        int max = Math.min(a.size(), b.size()) - prefix;
        int s = 0;
        while (s < max && same.test(a.get(a.size() - 1 - s), b.get(b.size() - 1 - s))) {
            s++;
        }
        return s;
    }

    private static boolean same(Object a, Object b) {
        return a == b || a.equals(b);
    }
}
