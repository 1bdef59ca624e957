package dev.sluice.routing.config;

import java.util.List;

/**
 * A {@code backend} (or the back half of a {@code listen}).
 *
 * @param httpCheck {@code null}: servers with {@code check} are checked by TCP connect
 * @param cookie    {@code null}: no cookie persistence
 */
public record BackendConfig(String name, ProxySettings settings, BalanceConfig balance,
                            List<ServerConfig> servers, List<AclConfig> acls,
                            List<HttpRuleConfig> requestRules, List<HttpRuleConfig> responseRules,
                            HttpCheckConfig httpCheck, CookieConfig cookie) {

    public BackendConfig(String name, ProxySettings settings, BalanceConfig balance, List<ServerConfig> servers,
                         List<AclConfig> acls, List<HttpRuleConfig> requestRules, List<HttpRuleConfig> responseRules,
                         HttpCheckConfig httpCheck) {
        this(name, settings, balance, servers, acls, requestRules, responseRules, httpCheck, null);
    }

    public BackendConfig {
        servers = List.copyOf(servers);
        acls = List.copyOf(acls);
        requestRules = List.copyOf(requestRules);
        responseRules = List.copyOf(responseRules);
    }
}
