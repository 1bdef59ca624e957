package dev.sluice.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The recent server state changes of this process (the last {@link #CAPACITY}), for /stats and
 * the admin API, and a listener that logs them. Lock-free: a change may be recorded from a
 * proxy event loop (passive checks).
 */
public final class StateEvents {

    public static final int CAPACITY = 1000;

    private static final ConcurrentLinkedDeque<StateEvent> RECENT = new ConcurrentLinkedDeque<>();
    private static final AtomicInteger SIZE = new AtomicInteger();
    private static volatile Consumer<StateEvent> listener = e -> { };

    private StateEvents() {
    }

    /** Where every event also goes (the app logs them); must not block. */
    public static void listen(Consumer<StateEvent> l) {
        listener = l == null ? e -> { } : l;
    }

    /** Records {@code e} (DNS discovery records what has no state change of its own, e.g. ignored addresses). */
    public static void record(StateEvent e) {
        RECENT.addLast(e);
        if (SIZE.incrementAndGet() > CAPACITY && RECENT.pollFirst() != null) {
            SIZE.decrementAndGet();
        }
        try {
            listener.accept(e);
        } catch (RuntimeException ignored) {
            // a failing listener must not stop the state change
        }
    }

    /** The recent events, oldest first. */
    public static List<StateEvent> recent() {
        return new ArrayList<>(RECENT);
    }

    /** The recent events of one server, oldest first. */
    public static List<StateEvent> of(String backend, String server) {
        List<StateEvent> out = new ArrayList<>();
        for (StateEvent e : RECENT) {
            if (e.backend().equals(backend) && e.server().equals(server)) {
                out.add(e);
            }
        }
        return out;
    }
}
