package dev.sluice.routing.config;

/** One {@code http-request} or {@code http-response} line; {@code condition} may be {@code null}. */
public record HttpRuleConfig(ActionConfig action, ConditionConfig condition) {
}
