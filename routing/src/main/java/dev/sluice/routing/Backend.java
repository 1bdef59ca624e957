package dev.sluice.routing;

import dev.sluice.routing.config.HttpCheckConfig;
import java.util.List;

/**
 * A compiled backend (or the back half of a {@code listen} section).
 *
 * @param forwardFor {@code null} unless {@code option forwardfor} is set on the backend
 * @param retries    HAProxy's {@code retries}: extra connection attempts after a connect failure
 * @param redispatch {@code option redispatch}: the last retry may go to another server
 * @param cookie     {@code null}: no cookie persistence
 * @param httpCheck  {@code option httpchk} and {@code http-check expect}; {@code null}: servers
 *                   with {@code check} are checked by TCP connect
 */
public record Backend(String name, Mode mode, List<Server> servers, Balancer balancer,
                      Timeouts timeouts, int retries, boolean redispatch, ForwardFor forwardFor,
                      ConnectionMode connectionMode, List<HttpRule> requestRules,
                      List<HttpRule> responseRules, ErrorPages errorPages, StickyCookie cookie,
                      HttpCheckConfig httpCheck) {

    public Backend(String name, Mode mode, List<Server> servers, Balancer balancer, Timeouts timeouts, int retries,
                   boolean redispatch, ForwardFor forwardFor, ConnectionMode connectionMode,
                   List<HttpRule> requestRules, List<HttpRule> responseRules, ErrorPages errorPages,
                   StickyCookie cookie) {
        this(name, mode, servers, balancer, timeouts, retries, redispatch, forwardFor, connectionMode, requestRules,
                responseRules, errorPages, cookie, null);
    }

    public Backend(String name, Mode mode, List<Server> servers, Balancer balancer, Timeouts timeouts, int retries,
                   boolean redispatch, ForwardFor forwardFor, ConnectionMode connectionMode,
                   List<HttpRule> requestRules, List<HttpRule> responseRules, ErrorPages errorPages) {
        this(name, mode, servers, balancer, timeouts, retries, redispatch, forwardFor, connectionMode, requestRules,
                responseRules, errorPages, null);
    }

    public Backend {
        servers = List.copyOf(servers);
        requestRules = List.copyOf(requestRules);
        responseRules = List.copyOf(responseRules);
    }

    /** A usable server for {@code request}, or {@code null} (503). */
    public Server pick(RequestView request, Server avoid) {
        return balancer.pick(servers, request, avoid);
    }

    /**
     * The server with room whose persistence cookie is {@code value}, or {@code null}: UP and
     * READY, or draining (a drained server still serves its sticky clients, as in HAProxy).
     */
    public Server stickyServer(String value) {
        for (Server s : servers) {
            if (value.equals(s.cookie()) && !s.disabled() && s.state().acceptsPersistent() && s.hasCapacity()) {
                return s;
            }
        }
        return null;
    }
}
