package dev.sluice.routing;

import dev.sluice.routing.balance.Balancers;
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

    /** Smooth weighted round-robin (HAProxy's {@code roundrobin}). */
    static Balancer roundRobin() {
        return Balancers.roundRobin();
    }

    /** HAProxy's {@code static-rr}: the same smooth weighted sequence (weights are static here anyway). */
    static Balancer staticRoundRobin() {
        return Balancers.roundRobin();
    }

    /** Fewest requests in flight (relative to weight); ties round-robin. */
    static Balancer leastConn() {
        return Balancers.leastConn();
    }

    /** Consistent hash of the client address. */
    static Balancer source() {
        return Balancers.source();
    }

    /** The first server, in declaration order, with a free slot. */
    static Balancer first() {
        return Balancers.first();
    }

    /** Consistent hash of the URI without its query string. */
    static Balancer uri() {
        return Balancers.uri();
    }

    /** Consistent hash of the first value of header {@code name}. */
    static Balancer header(String name) {
        return Balancers.header(name);
    }

    /** Weighted random. */
    static Balancer random() {
        return Balancers.random();
    }
}
