package dev.sluice.discovery.docker;

import java.util.Map;

/**
 * What Docker discovery is doing, for the admin API and the stats page.
 *
 * @param state        {@code starting}, {@code following} (events and reconciles), {@code not-manager}
 *                     (this node cannot list services: the replica learns from its peers), or {@code failing}
 * @param services     the services routed from labels after the last reconcile
 * @param lastReconcileMillis when the last full reconcile succeeded (epoch ms), 0 before the first
 */
public record DockerStatus(String host, String state, String apiVersion, int services, long lastReconcileMillis,
                           String lastError, Map<String, String> failed) {

    public DockerStatus {
        failed = Map.copyOf(failed);
    }

    static DockerStatus starting(String host) {
        return new DockerStatus(host, "starting", "", 0, 0, "", Map.of());
    }

    /** Whether this node can list services (true until the engine says otherwise). */
    public boolean manager() {
        return !state.equals("not-manager");
    }

    /** Whether the last reconcile or the event stream works: this replica's Docker services are current. */
    public boolean current() {
        return state.equals("following") || state.equals("reconciled");
    }

    DockerStatus following(String version) {
        return new DockerStatus(host, "following", version, services, lastReconcileMillis, "", failed);
    }

    DockerStatus reconciled(int count, Map<String, String> failedNow) {
        String s = state.equals("following") ? state : "reconciled";
        return new DockerStatus(host, s, apiVersion, count, System.currentTimeMillis(), "", failedNow);
    }

    DockerStatus notManager() {
        return new DockerStatus(host, "not-manager", apiVersion, 0, lastReconcileMillis, "", Map.of());
    }

    DockerStatus failed(String error) {
        return new DockerStatus(host, "failing", apiVersion, services, lastReconcileMillis,
                error == null ? "" : error, failed);
    }
}
