package dev.sluice.routing;

import dev.sluice.routing.acl.BasicAuth;
import dev.sluice.routing.acl.ConditionCompiler;
import dev.sluice.routing.config.AclConfig;
import dev.sluice.routing.config.ConditionConfig;
import dev.sluice.routing.config.FrontendConfig;
import dev.sluice.routing.config.UseBackendConfig;
import dev.sluice.routing.select.IndexedSelector;
import dev.sluice.routing.select.SelectorRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Compiles the {@code use_backend} rules of a frontend into its selector. Given the frontend's
 * configuration and selector of the table before, a rule equal to the one at the same place
 * (counted from the start or from the end, so a service added or removed in between does not
 * shift the match) keeps its compiled form, unless an ACL it names has other lines now or its
 * backend is another object; only the other rules are compiled, and the selector re-files only
 * those. With thousands of services in one frontend, a change of one service then costs that
 * service's rules.
 */
final class SelectorCompiler {

    private SelectorCompiler() {
    }

    /**
     * @param before   the configuration {@code previous} was compiled from, or {@code null}
     * @param previous the frontend of the same name in the table before, or {@code null}
     */
    static IndexedSelector compile(FrontendConfig f, Map<String, Backend> backends, ConditionCompiler conditions,
                                   Function<String, BasicAuth> userlists, FrontendConfig before, Frontend previous) {
        List<UseBackendConfig> now = f.useBackends();
        IndexedSelector was = previous != null && before != null
                && previous.selector() instanceof IndexedSelector s && s.size() == before.useBackends().size() ? s : null;
        if (was == null) {
            List<SelectorRule> rules = new ArrayList<>(now.size());
            for (UseBackendConfig u : now) {
                rules.add(rule(u, conditions, backends, f.name()));
            }
            return new IndexedSelector(rules, defaultBackend(f, backends));
        }
        Set<String> changedAcls = changedNames(before.acls(), f.acls());
        List<UseBackendConfig> old = before.useBackends();
        int n = now.size();
        int m = old.size();
        int p = commonPrefix(now, old);
        int s = commonSuffix(now, old, p);
        SelectorRule[] rules = new SelectorRule[n];
        for (int i = 0; i < p; i++) {
            rules[i] = kept(now.get(i), was.rule(i), changedAcls, backends);
        }
        for (int i = n - s; i < n; i++) {
            rules[i] = kept(now.get(i), was.rule(i - n + m), changedAcls, backends);
        }
        Set<String> names = new HashSet<>();
        int todo = 0;
        for (int i = 0; i < n; i++) {
            if (rules[i] == null) {
                todo++;
                aclNames(now.get(i).condition(), names);
            }
        }
        if (todo > 0) {
            ConditionCompiler c = todo * 4 > n ? conditions : ConditionCompiler.forNames(f.acls(), names, userlists);
            for (int i = 0; i < n; i++) {
                if (rules[i] == null) {
                    rules[i] = rule(now.get(i), c, backends, f.name());
                }
            }
        }
        return was.next(Arrays.asList(rules), defaultBackend(f, backends));
    }

    private static Backend defaultBackend(FrontendConfig f, Map<String, Backend> backends) {
        return f.defaultBackend() == null ? null : RoutingCompiler.requireBackend(backends, f.defaultBackend(), f.name());
    }

    private static SelectorRule rule(UseBackendConfig u, ConditionCompiler conditions, Map<String, Backend> backends,
                                     String frontend) {
        Backend target = RoutingCompiler.requireBackend(backends, u.backend(), frontend);
        return new SelectorRule(conditions.compile(u.condition()), IndexPlanner.keys(u.condition(), conditions), target);
    }

    /** The compiled rule {@code old} for {@code u} when it still holds, or {@code null} to compile {@code u}. */
    private static SelectorRule kept(UseBackendConfig u, SelectorRule old, Set<String> changedAcls,
                                     Map<String, Backend> backends) {
        if (!changedAcls.isEmpty() && namesAny(u.condition(), changedAcls)) {
            return null;
        }
        Backend target = backends.get(u.backend());
        if (target == old.backend()) {
            return old;
        }
        return target == null ? null : new SelectorRule(old.condition(), old.keys(), target);
    }

    /**
     * The names of the ACLs whose lines differ between {@code before} and {@code now}: those
     * declared between the longest common start and the longest common end of the two lists.
     */
    static Set<String> changedNames(List<AclConfig> before, List<AclConfig> now) {
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

    private static boolean namesAny(ConditionConfig condition, Set<String> names) {
        if (condition == null) {
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

    private static void aclNames(ConditionConfig condition, Set<String> out) {
        if (condition == null) {
            return;
        }
        for (List<ConditionConfig.Term> group : condition.groups()) {
            for (ConditionConfig.Term t : group) {
                if (t.aclName() != null) {
                    out.add(t.aclName());
                }
            }
        }
    }

    static <T> int commonPrefix(List<T> a, List<T> b) {
        int max = Math.min(a.size(), b.size());
        int p = 0;
        while (p < max && same(a.get(p), b.get(p))) {
            p++;
        }
        return p;
    }

    /** The length of the common end of {@code a} and {@code b} that does not overlap their first {@code prefix}. */
    static <T> int commonSuffix(List<T> a, List<T> b, int prefix) {
        int max = Math.min(a.size(), b.size()) - prefix;
        int s = 0;
        while (s < max && same(a.get(a.size() - 1 - s), b.get(b.size() - 1 - s))) {
            s++;
        }
        return s;
    }

    private static boolean same(Object a, Object b) {
        return a == b || a.equals(b);
    }
}
