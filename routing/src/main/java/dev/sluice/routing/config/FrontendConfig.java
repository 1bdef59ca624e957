package dev.sluice.routing.config;

import dev.sluice.routing.Bind;
import java.util.List;

/**
 * A {@code frontend} (or the front half of a {@code listen}).
 *
 * @param defaultBackend {@code null}: requests no rule routes are answered 503
 * @param monitorUri     {@code monitor-uri}: requests for this path are answered 200 by Sluice
 *                       itself (for load-balancer health probes); {@code null} when not set
 * @param tcpRequest     {@code tcp-request inspect-delay} and {@code tcp-request content} rules
 */
public record FrontendConfig(String name, ProxySettings settings, List<BindConfig> binds,
                             List<AclConfig> acls, List<HttpRuleConfig> requestRules,
                             List<HttpRuleConfig> responseRules, List<UseBackendConfig> useBackends,
                             String defaultBackend, String monitorUri, TcpRequestConfig tcpRequest) {

    public FrontendConfig(String name, ProxySettings settings, List<BindConfig> binds,
                          List<AclConfig> acls, List<HttpRuleConfig> requestRules,
                          List<HttpRuleConfig> responseRules, List<UseBackendConfig> useBackends,
                          String defaultBackend, String monitorUri) {
        this(name, settings, binds, acls, requestRules, responseRules, useBackends, defaultBackend, monitorUri,
                TcpRequestConfig.NONE);
    }

    public FrontendConfig(String name, ProxySettings settings, List<BindConfig> binds,
                          List<AclConfig> acls, List<HttpRuleConfig> requestRules,
                          List<HttpRuleConfig> responseRules, List<UseBackendConfig> useBackends,
                          String defaultBackend) {
        this(name, settings, binds, acls, requestRules, responseRules, useBackends, defaultBackend, null);
    }

    public FrontendConfig {
        binds = List.copyOf(binds);
        acls = List.copyOf(acls);
        requestRules = List.copyOf(requestRules);
        responseRules = List.copyOf(responseRules);
        useBackends = List.copyOf(useBackends);
        tcpRequest = tcpRequest == null ? TcpRequestConfig.NONE : tcpRequest;
    }

    public List<Bind> bindAddresses() {
        return binds.stream().map(BindConfig::toBind).toList();
    }

    public FrontendConfig withBinds(List<BindConfig> newBinds) {
        return new FrontendConfig(name, settings, newBinds, acls, requestRules, responseRules,
                useBackends, defaultBackend, monitorUri, tcpRequest);
    }

    public FrontendConfig withUseBackends(List<UseBackendConfig> rules, List<AclConfig> newAcls) {
        return new FrontendConfig(name, settings, binds, newAcls, requestRules, responseRules,
                rules, defaultBackend, monitorUri, tcpRequest);
    }
}
