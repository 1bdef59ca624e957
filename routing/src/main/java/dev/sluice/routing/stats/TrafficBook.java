package dev.sluice.routing.stats;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link Traffic} of every frontend and backend of a routing table, by name. The routing
 * compiler hands each one on to the next table while its name exists, so counters survive a
 * reconfigure and restart from zero only for a name that went away and came back. (A server's
 * Traffic lives on its {@code ServerState}, which is handed on the same way.)
 */
public final class TrafficBook {

    private final Map<String, Traffic> frontends = new ConcurrentHashMap<>();
    private final Map<String, Traffic> backends = new ConcurrentHashMap<>();

    public TrafficBook() {
    }

    /** A book for a new table: the entries of {@code previous} (may be null) for the names still there. */
    public static TrafficBook carryOver(TrafficBook previous, Collection<String> frontendNames,
                                        Collection<String> backendNames) {
        TrafficBook next = new TrafficBook();
        for (String name : frontendNames) {
            Traffic t = previous == null ? null : previous.frontends.get(name);
            next.frontends.put(name, t != null ? t : new Traffic());
        }
        for (String name : backendNames) {
            Traffic t = previous == null ? null : previous.backends.get(name);
            next.backends.put(name, t != null ? t : new Traffic());
        }
        return next;
    }

    /** The counters of frontend {@code name}: a lock-free read for every name the table has. */
    public Traffic frontend(String name) {
        Traffic t = frontends.get(name);
        return t != null ? t : frontends.computeIfAbsent(name, n -> new Traffic());
    }

    /** The counters of backend {@code name}: a lock-free read for every name the table has. */
    public Traffic backend(String name) {
        Traffic t = backends.get(name);
        return t != null ? t : backends.computeIfAbsent(name, n -> new Traffic());
    }
}
