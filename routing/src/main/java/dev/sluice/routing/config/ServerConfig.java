package dev.sluice.routing.config;

/**
 * One {@code server NAME ADDR:PORT [options]} line.
 *
 * @param maxconn {@code 0}: no limit
 * @param cookie   {@code null} when unset
 * @param template  {@code null}, or for a slot of {@code server-template PREFIX COUNT FQDN:PORT} the
 *                  name whose DNS answers fill the slots ({@code host} is then that name too)
 * @param resolvers {@code null}, or the {@code resolvers} section that resolves {@code host}
 */
public record ServerConfig(String name, String host, int port, int weight, boolean backup,
                           boolean disabled, int maxconn, String cookie, HealthCheckConfig check,
                           String template, String resolvers) {

    public ServerConfig(String name, String host, int port, int weight, boolean backup, boolean disabled,
                        int maxconn, String cookie, HealthCheckConfig check, String template) {
        this(name, host, port, weight, backup, disabled, maxconn, cookie, check, template, null);
    }

    /** This server as slot {@code name} of a {@code server-template} filled from {@code fqdn}. */
    public ServerConfig asSlot(String slotName, String fqdn) {
        return new ServerConfig(slotName, fqdn, port, weight, backup, disabled, maxconn, cookie, check, fqdn,
                resolvers);
    }

    public ServerConfig(String name, String host, int port, int weight, boolean backup, boolean disabled,
                        int maxconn, String cookie, HealthCheckConfig check) {
        this(name, host, port, weight, backup, disabled, maxconn, cookie, check, null);
    }
}
