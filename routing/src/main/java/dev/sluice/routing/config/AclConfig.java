package dev.sluice.routing.config;

/** One {@code acl NAME ...} line. Lines sharing a name are OR-ed. */
public record AclConfig(String name, AclExpr expr) {
}
