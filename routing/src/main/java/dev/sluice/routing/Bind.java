package dev.sluice.routing;

/** One {@code bind [ADDR]:PORT [ssl ...]} line. {@code host} is {@code null} for all addresses. */
public record Bind(String host, int port, boolean ssl) {
}
