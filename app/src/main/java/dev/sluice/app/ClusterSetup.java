package dev.sluice.app;

import dev.sluice.admin.CertificateAdmin;
import dev.sluice.admin.ReplicaState;
import dev.sluice.admin.ServiceRegistry;
import dev.sluice.discovery.Discovery;
import dev.sluice.discovery.docker.DockerDiscovery;
import dev.sluice.discovery.listener.SwarmListenerSync;
import dev.sluice.discovery.peers.Replicas;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.Security;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The replica's place in its cluster, wired in two steps around the start of the data plane:
 * {@link #join} (before the ports open: take the services and certificates the peer replicas
 * agree on) and {@link #follow} (once the table is published to the data plane: Docker
 * discovery or the Swarm Listener, and the periodic survey of the replicas).
 */
final class ClusterSetup {

    /** How long a starting replica waits for its peers and its first reconcile before it opens its ports. */
    static final Duration START_WAIT = Duration.ofSeconds(10);

    private ClusterSetup() {
    }

    /**
     * Replica addresses come from DNS ({@code tasks.<SERVICE_NAME>}), where Swarm adds and drops
     * tasks as they start and stop: the JVM must not keep an answer for its default 30 seconds.
     * Server addresses are resolved by the data plane's own resolver, which this does not touch.
     */
    static void shortDnsCache() {
        Security.setProperty("networkaddress.cache.ttl", "2");
        Security.setProperty("networkaddress.cache.negative.ttl", "1");
    }

    /** Finds the peers and takes their services; returns the discovery the admin API shows. */
    static Discovery join(Settings settings, ServiceRegistry registry, CertificateAdmin certs, PrintStream err) {
        ClusterSettings c = settings.cluster();
        AdminCredentials admin = settings.adminCredentials();
        String authorization = admin == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                (admin.user() + ":" + admin.password()).getBytes(StandardCharsets.UTF_8));
        Discovery[] holder = new Discovery[1];
        Replicas replicas = new Replicas(c.serviceName(), settings.adminBind(), settings.adminPort(), authorization,
                new ReplicaState(registry, certs), () -> holder[0] == null ? "none" : holder[0].role(), err);
        Discovery discovery = new Discovery(replicas);
        holder[0] = discovery;
        String joined = replicas.pullFromPeers(START_WAIT);
        if (!joined.isEmpty()) {
            err.println("replicas: " + joined);
        }
        return discovery;
    }

    /** Starts the source of services ({@code DISCOVERY=docker} or {@code LISTENER_ADDRESS}) and the survey. */
    static void follow(Settings settings, Discovery discovery, ServiceRegistry registry, PrintStream err) {
        ClusterSettings c = settings.cluster();
        Replicas replicas = discovery.replicas();
        if (c.docker()) {
            DockerDiscovery docker = new DockerDiscovery(c.dockerHost(), registry, c.discoveryInterval(), err,
                    () -> pushToFollowers(discovery, err));
            discovery.docker(docker);
            docker.start();
            waitFor("the first reconcile with the Docker engine at " + c.dockerHost(),
                    CompletableFuture.runAsync(() -> {
                        try {
                            docker.reconcileNow();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }), err);
        } else if (c.listenerAddress() != null) {
            SwarmListenerSync listener = new SwarmListenerSync(c.listenerAddress(), registry, c.reloadInterval(), err,
                    () -> { });
            discovery.listener(listener);
            waitFor("the first fetch from the Swarm Listener", listener.fetchNow(), err);
            listener.start();
        }
        Duration survey = c.discoveryInterval().compareTo(Duration.ofSeconds(10)) < 0 ? c.discoveryInterval()
                : Duration.ofSeconds(10);
        replicas.watch(survey);
    }

    /** After a Docker change: replicas that cannot see the engine (worker nodes) get this replica's services. */
    private static void pushToFollowers(Discovery discovery, PrintStream err) {
        discovery.replicas().pushDockerServices().whenComplete((deliveries, error) -> {
            if (deliveries != null) {
                deliveries.stream().filter(d -> !d.ok()).forEach(d -> err.println("replicas: could not hand the services to "
                        + d.address() + ": " + d.status() + " " + d.message()));
            }
        });
    }

    private static void waitFor(String what, CompletableFuture<?> f, PrintStream err) {
        try {
            f.get(START_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            err.println("warning: " + what + " takes longer than " + START_WAIT.toSeconds() + " s; starting, it goes on");
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            while (cause.getCause() != null && cause instanceof IllegalStateException) {
                cause = cause.getCause();
            }
            err.println("warning: " + what + " failed (" + cause.getMessage() + "); starting, it is retried");
        }
    }
}
