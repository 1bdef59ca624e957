package dev.sluice.routing;

import dev.sluice.routing.stats.TrafficBook;
import java.util.List;
import java.util.Map;

/**
 * An immutable, compiled snapshot of the whole routing configuration. proxy-core reads the
 * current one with a single volatile read per request; a change publishes a new one.
 *
 * @param generation increases by one with every published table
 * @param hash       a content hash of the configuration it was compiled from (hex), equal on
 *                   replicas that route the same way
 * @param maxconn    {@code global maxconn}: client connections of all frontends together, 0 for
 *                   no limit
 * @param traffic    the counters of its frontends and backends, handed on from table to table
 */
public record RoutingTable(long generation, String hash, List<Frontend> frontends,
                           Map<String, Backend> backends, HttpLimits limits, int maxconn, TrafficBook traffic) {

    public RoutingTable {
        frontends = List.copyOf(frontends);
        backends = Map.copyOf(backends);
    }

    /** A table with counters of its own (tests and tools). */
    public RoutingTable(long generation, String hash, List<Frontend> frontends, Map<String, Backend> backends,
                        HttpLimits limits, int maxconn) {
        this(generation, hash, frontends, backends, limits, maxconn, new TrafficBook());
    }

    public Frontend frontend(String name) {
        for (Frontend f : frontends) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }

    public Backend backend(String name) {
        return backends.get(name);
    }
}
