package dev.sluice.discovery.peers;

import java.util.concurrent.CompletableFuture;

/** This replica, as its peers see it: what it routes, and how it takes a peer's services. */
public interface LocalReplica {

    /** The content hash of the routing table now. */
    String hash();

    /** The generation of the routing table now. */
    long generation();

    /** Services (with sources) and certificates, as {@code GET /v1/proxy/state} answers. */
    byte[] exportState();

    /**
     * Makes this replica's services and certificates a peer's ({@link #exportState} of another
     * replica); completes with a one-line summary, or exceptionally when nothing could be applied.
     */
    CompletableFuture<String> importState(byte[] state);
}
