package dev.sluice.routing;

import dev.sluice.routing.stats.TrafficBook;
import java.util.List;
import java.util.Map;

/**
 * An immutable, compiled snapshot of the whole routing configuration. proxy-core reads the
 * current one with a single volatile read per request; a change publishes a new one.
 *
 * @param generation increases by one with every published table
 * @param contentHash a content hash of the configuration it was compiled from (hex), equal on
 *                   replicas that route the same way; computed when first read
 * @param maxconn    {@code global maxconn}: client connections of all frontends together, 0 for
 *                   no limit
 * @param traffic    the counters of its frontends and backends, handed on from table to table
 */
public record RoutingTable(long generation, ContentHash contentHash, List<Frontend> frontends,
                           Map<String, Backend> backends, HttpLimits limits, int maxconn, TrafficBook traffic) {

    public RoutingTable {
        frontends = List.copyOf(frontends);
        backends = Map.copyOf(backends);
    }

    /** A table with counters of its own (tests and tools). */
    public RoutingTable(long generation, String hash, List<Frontend> frontends, Map<String, Backend> backends,
                        HttpLimits limits, int maxconn) {
        this(generation, ContentHash.of(hash), frontends, backends, limits, maxconn, new TrafficBook());
    }

    /** The content hash (hex) of the configuration this table was compiled from. */
    public String hash() {
        return contentHash.value();
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
