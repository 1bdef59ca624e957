package dev.sluice.routing;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live state of one server: UP/DOWN and requests in flight. One instance per
 * (backend, server) name pair, handed from one compiled routing table to the next, so in-flight
 * requests release the same counter they acquired and a change elsewhere never resets it.
 */
public final class ServerState {

    private volatile boolean up = true;
    private volatile String lastError;
    private final AtomicInteger active = new AtomicInteger();

    public boolean isUp() { return up; }

    public void setUp(boolean up) { this.up = up; }

    public int active() { return active.get(); }

    public void acquire() { active.incrementAndGet(); }

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
}
