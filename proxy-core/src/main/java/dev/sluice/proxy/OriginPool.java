package dev.sluice.proxy;

import dev.sluice.routing.ServerState;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Idle keep-alive connections to origin servers, one pool per event loop (a thread-local, so
 * no lock) and per server (keyed by the server's live state object, stable across routing
 * tables). Most recently used first; connections idle for longer than {@link #MAX_IDLE_NANOS}
 * or closed by the server are dropped.
 */
final class OriginPool {

    /**
     * As many idle connections per server and loop as a busy moment needed, up to this: fewer,
     * and every burst above it (500 h2 streams at once, 500 keep-alive clients) closes the
     * surplus on release and opens it again on the next burst, a connect per request. Idle ones
     * still go after {@link #MAX_IDLE_NANOS}.
     */
    static final int MAX_IDLE_PER_SERVER = 4096;
    static final long MAX_IDLE_NANOS = 10_000_000_000L;

    private static final FastThreadLocal<OriginPool> POOLS = new FastThreadLocal<>() {
        @Override
        protected OriginPool initialValue() {
            return new OriginPool();
        }
    };

    /** Each server's idle connections, the most recently used last. */
    private final Map<ServerState, ArrayDeque<Channel>> idle = new IdentityHashMap<>();

    /** The pool of the calling event loop. */
    static OriginPool current() {
        return POOLS.get();
    }

    /** An open idle connection to {@code server}, or {@code null}. */
    Channel poll(ServerState server) {
        return poll(server, null, false);
    }

    /**
     * An open idle connection to {@code server}, or {@code null}; with {@code matchSni}, only one
     * opened with that TLS SNI ({@code sni req.hdr(host)}: a connection serves one host name).
     */
    Channel poll(ServerState server, String sni, boolean matchSni) {
        ArrayDeque<Channel> q = idle.get(server);
        if (q == null) {
            return null;
        }
        long now = EventClock.now();
        int version = server.addressVersion();
        if (!matchSni) {
            // any connection will do: the most recent usable one, no iterator
            Channel ch;
            while ((ch = q.pollLast()) != null) {
                if (usable(ch, now, version)) {
                    return ch;
                }
                ch.close();
            }
            return null;
        }
        for (java.util.Iterator<Channel> it = q.descendingIterator(); it.hasNext(); ) {
            Channel ch = it.next();
            if (!usable(ch, now, version)) {
                it.remove();
                ch.close();
            } else if (java.util.Objects.equals(sni, ch.attr(OriginTls.SNI).get())) {
                it.remove();
                return ch;
            }
        }
        return null;
    }

    /** Open, idle for less than {@link #MAX_IDLE_NANOS}, and to the server's current address. */
    private static boolean usable(Channel ch, long now, int version) {
        OriginHandler h = OriginHandler.of(ch);
        return ch.isActive() && h != null && now - h.idleSince() < MAX_IDLE_NANOS
                && (h.addressVersion() < 0 || h.addressVersion() == version);
    }

    /** Keeps {@code ch} for reuse, or closes it when the pool of {@code server} is full. */
    void offer(ServerState server, Channel ch) {
        ArrayDeque<Channel> q = idle.computeIfAbsent(server, k -> new ArrayDeque<>());
        if (q.size() >= MAX_IDLE_PER_SERVER || !ch.isActive()) {
            ch.close();
            return;
        }
        q.addLast(ch);
    }

    /** Closes every idle connection of this loop's pool (the proxy is stopping); the closes to wait for. */
    List<ChannelFuture> closeAll() {
        List<Channel> all = new ArrayList<>();
        for (ArrayDeque<Channel> q : idle.values()) {
            all.addAll(q);
        }
        idle.clear();
        List<ChannelFuture> closing = new ArrayList<>(all.size());
        for (Channel ch : all) {
            closing.add(ch.close());
        }
        return closing;
    }

    /** Forgets {@code ch} (it was closed while idle). */
    void remove(ServerState server, Channel ch) {
        ArrayDeque<Channel> q = idle.get(server);
        if (q != null) {
            q.remove(ch);
            if (q.isEmpty()) {
                idle.remove(server);
            }
        }
    }
}
