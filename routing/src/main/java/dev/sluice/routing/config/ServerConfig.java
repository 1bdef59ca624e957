package dev.sluice.routing.config;

/**
 * One {@code server NAME ADDR:PORT [options]} line.
 *
 * @param maxconn {@code 0}: no limit
 * @param cookie   {@code null} when unset
 * @param template {@code null}, or for a slot of {@code server-template PREFIX COUNT FQDN:PORT} the
 *                 name whose DNS answers fill the slots ({@code host} is then that name too)
 */
public record ServerConfig(String name, String host, int port, int weight, boolean backup,
                           boolean disabled, int maxconn, String cookie, HealthCheckConfig check,
                           String template) {

    public ServerConfig(String name, String host, int port, int weight, boolean backup, boolean disabled,
                        int maxconn, String cookie, HealthCheckConfig check) {
        this(name, host, port, weight, backup, disabled, maxconn, cookie, check, null);
    }
}
