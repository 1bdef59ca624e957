package dev.sluice.discovery.peers;

import java.util.concurrent.CompletableFuture;

/** This replica, as its peers see it: what it routes, and how it takes a peer's services. */
public interface LocalReplica {

    /** The hash of the services now (what replicas compare). */
    String hash();

    /** How many services this replica routes now. */
    int serviceCount();

    /**
     * Services (with sources) and, unless {@code dockerOnly}, certificates: the body of
     * {@code PUT /v1/proxy/state}. Each export carries this replica's id and a sequence number
     * that only grows, so a receiver can refuse a push older than one it already took.
     *
     * @param dockerOnly only the services learned from the Docker engine (what a replica on a
     *                   manager hands to those that cannot see the engine)
     */
    byte[] exportState(boolean dockerOnly);

    /**
     * Takes a peer's {@link #exportState}: all of it replaces this replica's services and
     * certificates; a Docker-only one reconciles the Docker services and leaves the rest.
     * Completes with a one-line summary, or exceptionally with an {@link IllegalArgumentException}
     * (nothing changed) when the state is malformed, names a service that does not parse, or is
     * older than one already taken from the same peer.
     */
    CompletableFuture<String> importState(byte[] state);
}
