package dev.sluice.app;

import dev.sluice.discovery.docker.DockerHost;

import java.time.Duration;
import java.util.Locale;

/**
 * How a replica learns its services and finds its peers.
 *
 * @param discovery         {@code DISCOVERY}: {@code docker} or {@code none}, after {@code auto} (the default)
 *                          is settled: Docker when LISTENER_ADDRESS is empty and the Docker socket is there
 * @param dockerHost        {@code DOCKER_HOST} (default {@code unix:///var/run/docker.sock})
 * @param discoveryInterval {@code DISCOVERY_INTERVAL} seconds (default 30): full reconciles with the engine
 * @param serviceName       {@code SERVICE_NAME} (default {@code proxy}): peers are {@code tasks.<SERVICE_NAME>}
 * @param listenerAddress   {@code LISTENER_ADDRESS}: Docker Flow Swarm Listener(s), or {@code null}
 * @param reloadInterval    {@code RELOAD_INTERVAL} milliseconds (default 5000): how often the listener is asked
 */
record ClusterSettings(String discovery, DockerHost dockerHost, Duration discoveryInterval, String serviceName,
                       String listenerAddress, Duration reloadInterval) {

    boolean docker() {
        return discovery.equals("docker");
    }

    static ClusterSettings from(Environment env) {
        String listener = env.get("LISTENER_ADDRESS");
        if (listener != null && listener.isBlank()) {
            listener = null;
        }
        String hostValue = env.get("DOCKER_HOST");
        DockerHost host = DockerHost.parse(hostValue);
        String mode = env.get("DISCOVERY", "auto").trim().toLowerCase(Locale.ROOT);
        String discovery = switch (mode) {
            case "auto" -> listener == null && (hostValue != null || !host.socketFileMissing()) ? "docker" : "none";
            case "docker", "none" -> mode;
            default -> throw new IllegalArgumentException("DISCOVERY: '" + mode + "' (expected auto, docker or none)");
        };
        if (discovery.equals("docker") && listener != null) {
            throw new IllegalArgumentException("DISCOVERY=docker and LISTENER_ADDRESS are both set (expected one source: "
                    + "the Docker engine, or a Swarm Listener with DISCOVERY=none)");
        }
        int interval = env.integer("DISCOVERY_INTERVAL", 30, 1, 86_400, "seconds");
        int reload = env.integer("RELOAD_INTERVAL", 5000, 100, 86_400_000, "milliseconds");
        String serviceName = env.get("SERVICE_NAME", "proxy").trim();
        if (serviceName.isEmpty() || !serviceName.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("SERVICE_NAME: '" + serviceName
                    + "' (expected the proxy's Swarm service name, e.g. proxy or proxy_proxy)");
        }
        return new ClusterSettings(discovery, host, Duration.ofSeconds(interval), serviceName, listener,
                Duration.ofMillis(reload));
    }
}
