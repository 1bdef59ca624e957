package dev.sluice.routing.config;

/**
 * The check parameters of a {@code server} line, kept for the health module.
 *
 * @param fastInterMs {@code 0}: same as {@code interMs}
 * @param downInterMs {@code 0}: same as {@code interMs}
 * @param port        {@code 0}: the server's port
 * @param addr        {@code null}: the server's address
 */
public record HealthCheckConfig(boolean enabled, long interMs, long fastInterMs, long downInterMs,
                                int rise, int fall, int port, String addr, long slowstartMs) {

    public static final HealthCheckConfig DEFAULT =
            new HealthCheckConfig(false, 2000, 0, 0, 2, 3, 0, null, 0);
}
