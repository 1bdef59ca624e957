package dev.sluice.discovery;

import java.util.Locale;

/**
 * Where a service came from. A full reconcile from one source adds, replaces and removes only
 * that source's services, so a periodic Docker reconcile never removes a service that was added
 * through the admin API, and a listener's list never removes a label-discovered one.
 */
public enum Source {
    /** A {@code reconfigure} call: by hand, from a Swarm Listener's notification, or from a CI job. */
    API,
    /** {@code DFP_SERVICE_*} variables, read at start. */
    ENVIRONMENT,
    /** The {@code com.df.*} labels of Swarm services, read from the Docker Engine API. */
    DOCKER,
    /** Docker Flow Swarm Listener's {@code get-services}. */
    LISTENER;

    /** The lower-case name used in {@code services.json}, the admin API and headers. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The source named {@code id}; an unknown or missing name is {@link #API}. */
    public static Source of(String id) {
        if (id != null) {
            for (Source s : values()) {
                if (s.id().equalsIgnoreCase(id.trim())) {
                    return s;
                }
            }
        }
        return API;
    }
}
