package dev.sluice.discovery;

import dev.sluice.discovery.docker.DockerDiscovery;
import dev.sluice.discovery.docker.DockerStatus;
import dev.sluice.discovery.listener.SwarmListenerSync;
import dev.sluice.discovery.peers.Replicas;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The discovery of one replica, as the admin API sees it: its peer replicas, and at most one
 * source that follows the cluster (the Docker engine or a Swarm Listener). Fields are set while
 * the process starts, before the admin API opens.
 */
public final class Discovery implements AutoCloseable {

    private final Replicas replicas;
    private volatile DockerDiscovery docker;
    private volatile SwarmListenerSync listener;

    public Discovery(Replicas replicas) {
        this.replicas = replicas;
    }

    public Replicas replicas() {
        return replicas;
    }

    /** {@code null} unless Docker discovery runs. */
    public DockerDiscovery docker() {
        return docker;
    }

    /** {@code null} unless LISTENER_ADDRESS is set. */
    public SwarmListenerSync listener() {
        return listener;
    }

    public void docker(DockerDiscovery docker) {
        this.docker = docker;
    }

    public void listener(SwarmListenerSync listener) {
        this.listener = listener;
    }

    /**
     * {@code docker} (following the engine), {@code docker-not-manager} (a worker node: it takes
     * its Docker services from a replica that follows), {@code docker-failing} (the engine does
     * not answer: it takes them too, until it follows again), {@code listener} or {@code none}.
     */
    public String role() {
        DockerDiscovery d = docker;
        if (d != null) {
            DockerStatus s = d.status();
            return s.current() ? "docker" : s.manager() ? "docker-failing" : "docker-not-manager";
        }
        return listener != null ? "listener" : "none";
    }

    /** Whether this replica follows the Docker engine and so hands changes to replicas that cannot. */
    public boolean leads() {
        return "docker".equals(role());
    }

    /** What the admin API shows of the sources. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Role", role());
        m.put("ServiceName", replicas.dnsName());
        DockerDiscovery d = docker;
        if (d != null) {
            DockerStatus s = d.status();
            Map<String, Object> dm = new LinkedHashMap<>();
            dm.put("Host", s.host());
            dm.put("State", s.state());
            dm.put("ApiVersion", s.apiVersion());
            dm.put("Services", s.services());
            dm.put("LastReconcileMillis", s.lastReconcileMillis());
            dm.put("LastError", s.lastError());
            dm.put("Failed", s.failed());
            m.put("Docker", dm);
        }
        SwarmListenerSync l = listener;
        if (l != null) {
            Map<String, Object> lm = new LinkedHashMap<>();
            lm.put("Addresses", l.addressList().stream().map(u -> u.getHost() + ":" + u.getPort()).toList());
            lm.put("FetchedOnce", l.fetchedOnce());
            lm.put("LastFetchMillis", l.lastFetchMillis());
            lm.put("LastError", l.lastError());
            m.put("Listener", lm);
        }
        return m;
    }

    @Override
    public void close() {
        DockerDiscovery d = docker;
        if (d != null) {
            d.close();
        }
        SwarmListenerSync l = listener;
        if (l != null) {
            l.close();
        }
        replicas.close();
    }
}
