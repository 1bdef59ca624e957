package dev.sluice.routing.config;

/**
 * One {@code server NAME ADDR:PORT [options]} line.
 *
 * @param maxconn {@code 0}: no limit
 * @param cookie   {@code null} when unset
 * @param template  {@code null}, or for a slot of {@code server-template PREFIX COUNT FQDN:PORT} the
 *                  name whose DNS answers fill the slots ({@code host} is then that name too)
 * @param resolvers {@code null}, or the {@code resolvers} section that resolves {@code host}
 * @param tls       the TLS options ({@link ServerTlsConfig#NONE}: plain TCP)
 * @param h2        {@code proto h2}: requests go to this server over HTTP/2 (without TLS: h2c with
 *                  prior knowledge), multiplexed on few connections
 */
public record ServerConfig(String name, String host, int port, int weight, boolean backup,
                           boolean disabled, int maxconn, String cookie, HealthCheckConfig check,
                           String template, String resolvers, ServerTlsConfig tls, boolean h2) {

    public ServerConfig {
        java.util.Objects.requireNonNull(tls, "tls");
    }

    public ServerConfig(String name, String host, int port, int weight, boolean backup, boolean disabled,
                        int maxconn, String cookie, HealthCheckConfig check, String template, String resolvers,
                        ServerTlsConfig tls) {
        this(name, host, port, weight, backup, disabled, maxconn, cookie, check, template, resolvers, tls, false);
    }

    public ServerConfig(String name, String host, int port, int weight, boolean backup, boolean disabled,
                        int maxconn, String cookie, HealthCheckConfig check, String template, String resolvers) {
        this(name, host, port, weight, backup, disabled, maxconn, cookie, check, template, resolvers,
                ServerTlsConfig.NONE);
    }

    public ServerConfig(String name, String host, int port, int weight, boolean backup, boolean disabled,
                        int maxconn, String cookie, HealthCheckConfig check, String template) {
        this(name, host, port, weight, backup, disabled, maxconn, cookie, check, template, null);
    }

    /** This server as slot {@code name} of a {@code server-template} filled from {@code fqdn}. */
    public ServerConfig asSlot(String slotName, String fqdn) {
        return new ServerConfig(slotName, fqdn, port, weight, backup, disabled, maxconn, cookie, check, fqdn,
                resolvers, tls, h2);
    }

    public ServerConfig(String name, String host, int port, int weight, boolean backup, boolean disabled,
                        int maxconn, String cookie, HealthCheckConfig check) {
        this(name, host, port, weight, backup, disabled, maxconn, cookie, check, null);
    }
}
