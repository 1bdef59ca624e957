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

    private final Map<String, Traffic> frontends;
    private final Map<String, Traffic> backends;

    public TrafficBook() {
        this(0, 0);
    }

    /** Sized for the names it will hold, so that filling it never grows its tables. */
    private TrafficBook(int frontendCount, int backendCount) {
        frontends = new ConcurrentHashMap<>(Math.max(16, frontendCount));
        backends = new ConcurrentHashMap<>(Math.max(16, backendCount));
    }

    /** A book for a new table: the entries of {@code previous} (may be null) for the names still there. */
    public static TrafficBook carryOver(TrafficBook previous, Collection<String> frontendNames,
                                        Collection<String> backendNames) {
        TrafficBook next = new TrafficBook(frontendNames.size(), backendNames.size());
        carry(previous == null ? Map.of() : previous.frontends, frontendNames, next.frontends);
        carry(previous == null ? Map.of() : previous.backends, backendNames, next.backends);
        return next;
    }

    private static void carry(Map<String, Traffic> from, Collection<String> names, Map<String, Traffic> to) {
        for (String name : names) {
            Traffic t = from.get(name);
            to.put(name, t != null ? t : new Traffic());
        }
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
