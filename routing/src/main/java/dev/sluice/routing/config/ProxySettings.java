package dev.sluice.routing.config;

import dev.sluice.routing.ConnectionMode;
import dev.sluice.routing.Mode;
import dev.sluice.routing.Timeouts;
import java.util.List;

/**
 * Settings shared by frontends and backends, with the preceding {@code defaults} section applied.
 * Backend-only values ({@code retries}, {@code redispatch}) keep their defaults in a frontend,
 * and {@code maxconn} stays {@code 0} in a backend.
 *
 * @param forwardFor {@code null} unless {@code option forwardfor} is set
 * @param errorFiles ordered by status code
 */
public record ProxySettings(Mode mode, Timeouts timeouts, ForwardForConfig forwardFor,
                            ConnectionMode connectionMode, int retries, boolean redispatch,
                            int maxconn, List<ErrorFileConfig> errorFiles) {

    public static final int DEFAULT_RETRIES = 3;

    public static final ProxySettings DEFAULT = new ProxySettings(Mode.HTTP, Timeouts.NONE, null,
            ConnectionMode.KEEP_ALIVE, DEFAULT_RETRIES, false, 0, List.of());

    public ProxySettings {
        errorFiles = List.copyOf(errorFiles);
    }
}
