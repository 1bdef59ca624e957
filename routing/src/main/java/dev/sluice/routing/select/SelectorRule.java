package dev.sluice.routing.select;

import dev.sluice.routing.Backend;
import dev.sluice.routing.Condition;
import dev.sluice.routing.acl.IndexHint;
import java.util.List;

/**
 * One {@code use_backend} rule of a frontend.
 *
 * @param hints keys under which the rule can only hold; {@code null} when it cannot be indexed
 *              (then it is evaluated for every request)
 */
public record SelectorRule(Condition condition, List<IndexHint> hints, Backend backend) {

    public SelectorRule {
        hints = hints == null ? null : List.copyOf(hints);
    }
}
