package dev.sluice.routing;

import java.util.List;

/**
 * Picks the server for one request among a backend's servers. Implementations are lock-free:
 * they run on proxy event loops, concurrently.
 */
public interface Balancer {

    /**
     * Returns a usable server with capacity, or {@code null} when none is. Backup servers are
     * considered only when no primary server is usable. {@code avoid} (may be {@code null}) is a
     * server that just failed to connect; pick another if one is usable ({@code option redispatch}).
     */
    Server pick(List<Server> servers, RequestView request, Server avoid);
}
