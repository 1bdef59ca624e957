package dev.sluice.routing.config;

/**
 * One {@code server NAME ADDR:PORT [options]} line.
 *
 * @param maxconn {@code 0}: no limit
 * @param cookie  {@code null} when unset
 */
public record ServerConfig(String name, String host, int port, int weight, boolean backup,
                           boolean disabled, int maxconn, String cookie, HealthCheckConfig check) {
}
