package dev.sluice.routing;

import java.util.List;

/**
 * A compiled frontend (or the front half of a {@code listen} section).
 *
 * @param selector chooses the backend: the first {@code use_backend} rule whose condition holds,
 *                 else {@code default_backend}, else {@code null} (503)
 * @param monitorUri {@code monitor-uri}: a request target answered 200 by Sluice itself, or {@code null}
 * @param tcpInspection {@code mode tcp}: the content rules a connection passes before it is routed
 */
public record Frontend(String name, Mode mode, List<Bind> binds, int maxconn, Timeouts timeouts,
                       ForwardFor forwardFor, ConnectionMode connectionMode,
                       List<HttpRule> requestRules, List<HttpRule> responseRules,
                       ErrorPages errorPages, BackendSelector selector, String monitorUri,
                       TcpInspection tcpInspection) {

    public Frontend {
        binds = List.copyOf(binds);
        requestRules = List.copyOf(requestRules);
        responseRules = List.copyOf(responseRules);
        tcpInspection = tcpInspection == null ? TcpInspection.NONE : tcpInspection;
    }

    /** A frontend without {@code tcp-request} content rules. */
    public Frontend(String name, Mode mode, List<Bind> binds, int maxconn, Timeouts timeouts,
                    ForwardFor forwardFor, ConnectionMode connectionMode,
                    List<HttpRule> requestRules, List<HttpRule> responseRules,
                    ErrorPages errorPages, BackendSelector selector, String monitorUri) {
        this(name, mode, binds, maxconn, timeouts, forwardFor, connectionMode, requestRules, responseRules,
                errorPages, selector, monitorUri, TcpInspection.NONE);
    }

    /** The backend for {@code request}, or {@code null} when no rule holds and there is no default. */
    public Backend select(RequestView request) {
        return selector.select(request);
    }

    /**
     * Whether {@code backend} is the back half of the same {@code listen} section, whose
     * http-request/http-response rules are this frontend's: proxy-core runs them once, as
     * frontend rules, and skips them as backend rules (HAProxy runs a listen's rules once for its
     * own traffic, and as backend rules when another frontend routes to it).
     */
    public boolean sharesRulesWith(Backend backend) {
        return backend.requestRules() == requestRules() && backend.responseRules() == responseRules();
    }

    /** Route lookup of one frontend: indexed, but with HAProxy's first-match order. */
    @FunctionalInterface
    public interface BackendSelector {
        Backend select(RequestView request);
    }
}
