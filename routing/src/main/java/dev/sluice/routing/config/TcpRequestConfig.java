package dev.sluice.routing.config;

import java.util.List;

/**
 * The {@code tcp-request} lines of a frontend: {@code tcp-request inspect-delay TIME} and the
 * {@code tcp-request content accept|reject [if|unless COND]} rules, in order.
 *
 * @param inspectDelayMs how long content rules may wait for data they need (0: not at all)
 */
public record TcpRequestConfig(long inspectDelayMs, List<ContentRule> contentRules) {

    public static final TcpRequestConfig NONE = new TcpRequestConfig(0, List.of());

    public TcpRequestConfig {
        contentRules = List.copyOf(contentRules);
    }

    /** {@code tcp-request content accept|reject}; {@code condition} is {@code null} for "always". */
    public record ContentRule(boolean accept, ConditionConfig condition) {
    }
}
