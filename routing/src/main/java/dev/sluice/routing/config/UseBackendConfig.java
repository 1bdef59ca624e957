package dev.sluice.routing.config;

/** {@code use_backend NAME [if|unless COND]}; {@code condition} is {@code null} for "always". */
public record UseBackendConfig(String backend, ConditionConfig condition) {
}
