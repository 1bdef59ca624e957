package dev.sluice.discovery.peers;

/**
 * One replica as a survey saw it.
 *
 * @param address   {@code ip:port} of its admin API
 * @param self      this replica
 * @param reachable it answered {@code ping}
 * @param hash      the hash of its services (what replicas must agree on)
 * @param routingHash the hash of its whole routing table (also covers its own ports and configuration file)
 * @param services  how many services it routes
 * @param discovery what it learns services from ({@code docker}, {@code docker-not-manager}, {@code listener}, {@code none})
 * @param error     why it did not answer, else ""
 */
public record PeerStatus(String address, boolean self, boolean reachable, long generation, String hash,
                         String routingHash, int services, String discovery, String error) {

    /** A peer that follows the Docker engine itself needs no push from another replica. */
    public boolean followsDocker() {
        return "docker".equals(discovery);
    }
}
