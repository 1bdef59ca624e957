package dev.sluice.proxy;

import io.netty.channel.Channel;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A frontend's {@code maxconn}: when that many client connections are open, its listeners stop
 * accepting (new connections wait in the kernel's backlog, as with HAProxy) until one closes.
 * One atomic per connection open and close, never per request.
 */
final class ConnectionLimit {

    private final AtomicInteger open = new AtomicInteger();
    private final List<Channel> listeners = new CopyOnWriteArrayList<>();
    private volatile int max;

    ConnectionLimit(int max) {
        this.max = max;
    }

    void setMax(int max) {
        this.max = max;
        update();
    }

    void addListener(Channel listener) {
        listeners.add(listener);
    }

    void removeListener(Channel listener) {
        listeners.remove(listener);
    }

    /** Counts {@code ch} as open until it closes. */
    void track(Channel ch) {
        open.incrementAndGet();
        update();
        ch.closeFuture().addListener(f -> {
            open.decrementAndGet();
            update();
        });
    }

    int open() {
        return open.get();
    }

    private void update() {
        for (Channel l : listeners) {
            // Changed on the listener's own loop (epoll ignores a cross-thread clear while a
            // read is pending), from the count at that moment, so updates cannot reorder.
            l.eventLoop().execute(() -> apply(l));
        }
    }

    private void apply(Channel listener) {
        int limit = max;
        boolean accept = limit <= 0 || open.get() < limit;
        if (listener.config().isAutoRead() != accept) {
            listener.config().setAutoRead(accept);
        }
    }
}
