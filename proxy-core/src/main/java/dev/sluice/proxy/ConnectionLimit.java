package dev.sluice.proxy;

import io.netty.channel.Channel;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HAProxy's {@code maxconn}, global and per frontend: while either limit is reached a frontend's
 * listeners stop accepting (new connections wait in the kernel's backlog, as with HAProxy)
 * until a connection closes. The global limit is the root; each frontend's is its child. One
 * atomic per connection open and close, never per request.
 */
final class ConnectionLimit {

    private final ConnectionLimit parent;
    private final List<ConnectionLimit> children = new CopyOnWriteArrayList<>();
    private final AtomicInteger open = new AtomicInteger();
    private final List<Channel> listeners = new CopyOnWriteArrayList<>();
    private volatile int max;

    private ConnectionLimit(ConnectionLimit parent) {
        this.parent = parent;
    }

    /** The process-wide limit ({@code global maxconn}). */
    static ConnectionLimit global() {
        return new ConnectionLimit(null);
    }

    /** A frontend's limit under this global one. */
    ConnectionLimit child() {
        ConnectionLimit c = new ConnectionLimit(this);
        children.add(c);
        return c;
    }

    /** {@code 0} for no limit. */
    void setMax(int max) {
        this.max = max;
        root().refresh();
    }

    void addListener(Channel listener) {
        listeners.add(listener);
    }

    void removeListener(Channel listener) {
        listeners.remove(listener);
    }

    /** Counts {@code ch} (here and in the global limit) as open until it closes. */
    void track(Channel ch) {
        count(1);
        ch.closeFuture().addListener(f -> count(-1));
    }

    private void count(int delta) {
        for (ConnectionLimit l = this; l != null; l = l.parent) {
            l.open.addAndGet(delta);
        }
        root().refresh();
    }

    private boolean allows() {
        int m = max;
        return (m <= 0 || open.get() < m) && (parent == null || parent.allows());
    }

    private ConnectionLimit root() {
        return parent == null ? this : parent.root();
    }

    private void refresh() {
        for (ConnectionLimit c : children) {
            c.refresh();
        }
        for (Channel l : listeners) {
            if (l.config().isAutoRead() != allows()) {
                // Changed on the listener's own loop (epoll ignores a cross-thread clear while a
                // read is pending), from the counts at that moment, so updates cannot reorder.
                l.eventLoop().execute(() -> apply(l));
            }
        }
    }

    private void apply(Channel listener) {
        boolean accept = allows();
        if (listener.config().isAutoRead() != accept) {
            listener.config().setAutoRead(accept);
        }
    }
}
