package dev.sluice.routing;

import dev.sluice.routing.acl.BasicAuth;
import dev.sluice.routing.acl.ConditionCompiler;
import dev.sluice.routing.config.FrontendConfig;
import dev.sluice.routing.config.UseBackendConfig;
import dev.sluice.routing.select.IndexedSelector;
import dev.sluice.routing.select.SelectorRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Compiles the {@code use_backend} rules of a frontend into its selector. Given the frontend's
 * configuration and selector of the table before, a rule is taken over as {@link RuleTakeover}
 * says, unless its backend is another object now (then only the backend is replaced); the
 * selector re-files only the rules that are not the very objects of the one before. With
 * thousands of services in one frontend, a change of one service then costs that service's rules.
 */
final class SelectorCompiler {

    private SelectorCompiler() {
    }

    /**
     * @param before      the configuration {@code previous} was compiled from, or {@code null}
     * @param previous    the frontend of the same name in the table before, or {@code null}
     * @param changedAcls the ACL names whose lines differ between {@code before} and {@code f}
     */
    static IndexedSelector compile(FrontendConfig f, Map<String, Backend> backends, ConditionCompiler conditions,
                                   Function<String, BasicAuth> userlists, FrontendConfig before, Frontend previous,
                                   Set<String> changedAcls) {
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
        List<SelectorRule> rules = RuleTakeover.takeOver(now, before.useBackends(), was::rule,
                (u, old) -> kept(u, old, changedAcls, backends));
        RuleTakeover.compileMissing(rules, now, UseBackendConfig::condition, f.acls(), conditions, userlists,
                (u, c) -> rule(u, c, backends, f.name()));
        return was.next(rules, defaultBackend(f, backends));
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
        if (RuleTakeover.namesAny(u.condition(), changedAcls)) {
            return null;
        }
        Backend target = backends.get(u.backend());
        if (target == old.backend()) {
            return old;
        }
        return target == null ? null : new SelectorRule(old.condition(), old.keys(), target);
    }
}
