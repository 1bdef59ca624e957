package dev.sluice.routing.select;

import dev.sluice.routing.Backend;
import dev.sluice.routing.Frontend;
import dev.sluice.routing.RequestView;
import java.util.List;

/** The reference route lookup: every rule in order, first that holds; used to check the index. */
public final class LinearSelector implements Frontend.BackendSelector {

    private final SelectorRule[] rules;
    private final Backend defaultBackend;

    public LinearSelector(List<SelectorRule> rules, Backend defaultBackend) {
        this.rules = rules.toArray(SelectorRule[]::new);
        this.defaultBackend = defaultBackend;
    }

    @Override
    public Backend select(RequestView request) {
        for (SelectorRule r : rules) {
            if (r.condition().test(request)) {
                return r.backend();
            }
        }
        return defaultBackend;
    }
}
