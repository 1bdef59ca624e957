package dev.sluice.routing.config;

import dev.sluice.routing.Bind;
import java.util.List;

/**
 * A {@code frontend} (or the front half of a {@code listen}).
 *
 * @param defaultBackend {@code null}: requests no rule routes are answered 503
 */
public record FrontendConfig(String name, ProxySettings settings, List<BindConfig> binds,
                             List<AclConfig> acls, List<HttpRuleConfig> requestRules,
                             List<HttpRuleConfig> responseRules, List<UseBackendConfig> useBackends,
                             String defaultBackend) {

    public FrontendConfig {
        binds = List.copyOf(binds);
        acls = List.copyOf(acls);
        requestRules = List.copyOf(requestRules);
        responseRules = List.copyOf(responseRules);
        useBackends = List.copyOf(useBackends);
    }

    public List<Bind> bindAddresses() {
        return binds.stream().map(BindConfig::toBind).toList();
    }

    public FrontendConfig withBinds(List<BindConfig> newBinds) {
        return new FrontendConfig(name, settings, newBinds, acls, requestRules, responseRules,
                useBackends, defaultBackend);
    }

    public FrontendConfig withUseBackends(List<UseBackendConfig> rules, List<AclConfig> newAcls) {
        return new FrontendConfig(name, settings, binds, newAcls, requestRules, responseRules,
                rules, defaultBackend);
    }
}
