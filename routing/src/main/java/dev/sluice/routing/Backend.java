package dev.sluice.routing;

import java.util.List;

/**
 * A compiled backend (or the back half of a {@code listen} section).
 *
 * @param forwardFor {@code null} unless {@code option forwardfor} is set on the backend
 * @param retries    HAProxy's {@code retries}: extra connection attempts after a connect failure
 * @param redispatch {@code option redispatch}: the last retry may go to another server
 */
public record Backend(String name, Mode mode, List<Server> servers, Balancer balancer,
                      Timeouts timeouts, int retries, boolean redispatch, ForwardFor forwardFor,
                      ConnectionMode connectionMode, List<HttpRule> requestRules,
                      List<HttpRule> responseRules, ErrorPages errorPages) {

    public Backend {
        servers = List.copyOf(servers);
        requestRules = List.copyOf(requestRules);
        responseRules = List.copyOf(responseRules);
    }

    /** A usable server for {@code request}, or {@code null} (503). */
    public Server pick(RequestView request, Server avoid) {
        return balancer.pick(servers, request, avoid);
    }
}
