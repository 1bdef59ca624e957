package dev.sluice.routing.select;

import dev.sluice.routing.Backend;
import dev.sluice.routing.Condition;

/**
 * One {@code use_backend} rule of a frontend.
 *
 * @param keys the keys under which the rule could be indexed; {@code null} when it cannot be
 *             (then it is evaluated for every request)
 */
public record SelectorRule(Condition condition, RuleKeys keys, Backend backend) {
}
