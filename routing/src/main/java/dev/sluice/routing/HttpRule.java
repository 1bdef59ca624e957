package dev.sluice.routing;

/** One {@code http-request} or {@code http-response} line: its action and when it applies. */
public record HttpRule(HttpAction action, Condition condition) {
}
