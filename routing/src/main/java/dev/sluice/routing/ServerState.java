package dev.sluice.routing;

import dev.sluice.routing.stats.Traffic;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live state of one server: health (UP/DOWN), the operator's state (READY, DRAIN, MAINT),
 * requests in flight, the last error, and for a {@code server-template} slot the address DNS
 * gave it. One instance per (backend, server) name pair, handed from one compiled routing table
 * to the next, so in-flight requests release the same counter they acquired and a change
 * elsewhere never resets it. Every change of health or operator state is a {@link StateEvent}.
 *
 * <p>The request path only reads volatile fields; writes come from the health checks, DNS
 * discovery, the admin API and, on failures, the passive checks.
 */
public final class ServerState {

    /** What an operator set: READY takes traffic; DRAIN finishes what it has and takes only sticky requests; MAINT takes none. */
    public enum Admin { READY, DRAIN, MAINT }

    private final String backend;
    private final String server;
    private volatile boolean up = true;
    private volatile Admin admin = Admin.READY;
    private volatile String lastError;
    private volatile String lastCheck = "";
    private volatile long lastChangeMillis = System.currentTimeMillis();
    private volatile long upSinceNanos = Long.MIN_VALUE;
    private volatile boolean slot;
    private volatile String dnsFailure;
    private volatile InetSocketAddress address;
    private final AtomicInteger addressVersion = new AtomicInteger();
    private final AtomicInteger active = new AtomicInteger();
    /** Consecutive errors seen on live traffic ({@code observe}); written on errors, reset only when non-zero. */
    private final AtomicInteger observedErrors = new AtomicInteger();
    private volatile ErrorLimitListener errorLimitListener;
    private final Traffic traffic = new Traffic();
    /** The most requests in flight at once (HAProxy's smax); written only when a new maximum is seen. */
    private final AtomicInteger maxActive = new AtomicInteger();

    public ServerState(String backend, String server) {
        this.backend = backend;
        this.server = server;
    }

    /** For tests and tools that do not name the server. */
    public ServerState() {
        this("?", "?");
    }

    public String backend() { return backend; }

    public String server() { return server; }

    /** Health: UP unless checks (active or passive) or DNS said otherwise. */
    public boolean isUp() { return up; }

    public Admin admin() { return admin; }

    /** UP, READY, and (for a server-template slot) holding an address: may take new requests. */
    public boolean isUsable() {
        return up && admin == Admin.READY && (!slot || address != null) && dnsFailure == null;
    }

    /** May take a request that names it (a persistence cookie): also while draining. */
    public boolean acceptsPersistent() {
        return up && admin != Admin.MAINT && (!slot || address != null) && dnsFailure == null;
    }

    /** Sets health without a reason (tests). */
    public void setUp(boolean up) {
        if (up) {
            markUp("set by hand");
        } else {
            markDown("set by hand");
        }
    }

    /** Health becomes UP; an event if it was DOWN. Returns whether it changed. */
    public boolean markUp(String reason) {
        if (up) {
            return false;
        }
        up = true;
        upSinceNanos = System.nanoTime();
        changed("DOWN", reason);
        return true;
    }

    /** Health becomes DOWN; an event if it was UP. Returns whether it changed. */
    public boolean markDown(String reason) {
        if (!up) {
            return false;
        }
        up = false;
        changed("UP", reason);
        return true;
    }

    /** The operator's state; an event when it changes. */
    public void setAdmin(Admin next, String reason) {
        Admin before = admin;
        if (before == next) {
            return;
        }
        String from = describe();
        admin = next;
        lastChangeMillis = System.currentTimeMillis();
        if (next == Admin.READY) {
            upSinceNanos = System.nanoTime();
        }
        StateEvents.record(new StateEvent(lastChangeMillis, backend, server, from, describe(), reason));
    }

    private void changed(String fromHealth, String reason) {
        lastChangeMillis = System.currentTimeMillis();
        String from = admin == Admin.READY ? fromHealth : admin + " " + fromHealth;
        StateEvents.record(new StateEvent(lastChangeMillis, backend, server, from, describe(), reason));
    }

    /** {@code UP}, {@code DOWN}, {@code DRAIN}, {@code MAINT}, or {@code MAINT (no address)}. */
    public String describe() {
        if (admin == Admin.MAINT) {
            return "MAINT";
        }
        if (slot && address == null) {
            return "MAINT (no address)";
        }
        if (dnsFailure != null) {
            return "DOWN (DNS)";
        }
        if (admin == Admin.DRAIN) {
            return up ? "DRAIN" : "DRAIN DOWN";
        }
        return up ? "UP" : "DOWN";
    }

    /** When health or the operator's state last changed (wall clock). */
    public long lastChangeMillis() { return lastChangeMillis; }

    /** When the server last came (back) UP or READY, {@link System#nanoTime()}; {@code Long.MIN_VALUE}: at start. */
    public long upSinceNanos() { return upSinceNanos; }

    /** The result of the last active check, e.g. "Layer7 OK 200" (empty before the first). */
    public String lastCheck() { return lastCheck; }

    public void lastCheck(String result) { lastCheck = result; }

    // ---- server-template slots ---------------------------------------------------------------

    /** Marks this server as a slot whose address comes from DNS (until then it takes no traffic). */
    public void makeSlot() { slot = true; }

    public boolean isSlot() { return slot; }

    /** The address DNS gave this slot, or {@code null}. */
    public InetSocketAddress address() { return address; }

    /** Gives the slot an address ({@code null}: none); pooled connections to the old one are not reused. */
    public void address(InetSocketAddress next, String reason) {
        InetSocketAddress before = address;
        if (java.util.Objects.equals(before, next)) {
            return;
        }
        String from = describe();
        address = next;
        addressVersion.incrementAndGet();
        lastChangeMillis = System.currentTimeMillis();
        if (next != null) {
            upSinceNanos = System.nanoTime();
        }
        StateEvents.record(new StateEvent(lastChangeMillis, backend, server, from, describe(), reason));
    }

    /**
     * A server named by a host name: the address its name resolved to in the background, used
     * instead of resolving on the request path. No event: the server's state does not change.
     */
    public void resolvedAddress(InetSocketAddress next) {
        if (!java.util.Objects.equals(address, next)) {
            address = next;
            addressVersion.incrementAndGet();
        }
    }

    /** Why the server's name does not resolve ({@code null}: it does); such a server takes no traffic. */
    public String dnsFailure() { return dnsFailure; }

    /** The server's name does not resolve: it is DOWN (DNS) until it does again; an event when that changes. */
    public void dnsFailure(String reason) {
        if (java.util.Objects.equals(dnsFailure, reason)) {
            return;
        }
        String from = describe();
        dnsFailure = reason;
        lastChangeMillis = System.currentTimeMillis();
        StateEvents.record(new StateEvent(lastChangeMillis, backend, server, from, describe(),
                reason == null ? "DNS: the name resolves again" : reason));
    }

    /** Changes whenever the slot's address changes: a pooled connection made under another version is stale. */
    public int addressVersion() { return addressVersion.get(); }

    // ---- requests and errors -------------------------------------------------------------------

    public int active() { return active.get(); }

    public void acquire() {
        int n = active.incrementAndGet();
        if (n > maxActive.get()) {
            maxActive.accumulateAndGet(n, Math::max);
        }
    }

    /** The most requests this server had in flight at once since start. */
    public int maxActive() { return maxActive.get(); }

    /** Its traffic counters and response times, kept across tables like the rest of its state. */
    public Traffic traffic() { return traffic; }

    public void release() { active.decrementAndGet(); }

    /** Why the last connection attempt failed, or {@code null} if the last one succeeded. */
    public String lastError() { return lastError; }

    /** Records a failed connection attempt (not on the success path: cheap). */
    public void recordError(String reason) { lastError = reason; }

    /** A connection succeeded: written only when an error was recorded, so the common case only reads. */
    public void clearError() {
        if (lastError != null) {
            lastError = null;
        }
    }

    // ---- passive observation (observe, error-limit, on-error) ----------------------------------

    /** Who applies {@code on-error} (the server's active checker); {@code null}: nobody, errors are only counted. */
    public void errorLimitListener(ErrorLimitListener l) { errorLimitListener = l; }

    public ErrorLimitListener errorLimitListener() { return errorLimitListener; }

    /** Consecutive errors observed on live traffic since the last success or the last {@code on-error}. */
    public int observedErrors() { return observedErrors.get(); }

    /**
     * One more observed error; at {@code limit} the count restarts and the listener is told (as
     * HAProxy does, the action repeats every {@code limit} errors). Returns whether the limit was hit.
     */
    public boolean observeError(int limit, String reason) {
        int n = observedErrors.incrementAndGet();
        if (n < limit) {
            return false;
        }
        observedErrors.set(0);
        ErrorLimitListener l = errorLimitListener;
        if (l != null) {
            l.onErrorLimit(n, reason);
        }
        return true;
    }

    /** A success on live traffic: a write only when errors were counted, so the common case only reads. */
    public void observeSuccess() {
        if (observedErrors.get() != 0) {
            observedErrors.set(0);
        }
    }
}
