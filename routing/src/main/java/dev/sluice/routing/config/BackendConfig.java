package dev.sluice.routing.config;

import java.util.List;

/**
 * A {@code backend} (or the back half of a {@code listen}).
 *
 * @param httpCheck {@code null}: servers with {@code check} are checked by TCP connect
 */
public record BackendConfig(String name, ProxySettings settings, BalanceConfig balance,
                            List<ServerConfig> servers, List<AclConfig> acls,
                            List<HttpRuleConfig> requestRules, List<HttpRuleConfig> responseRules,
                            HttpCheckConfig httpCheck) {

    public BackendConfig {
        servers = List.copyOf(servers);
        acls = List.copyOf(acls);
        requestRules = List.copyOf(requestRules);
        responseRules = List.copyOf(responseRules);
    }
}
