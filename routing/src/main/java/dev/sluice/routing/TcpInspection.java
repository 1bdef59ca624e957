package dev.sluice.routing;

import java.util.List;

/**
 * What a {@code mode tcp} frontend does before it routes a connection: its
 * {@code tcp-request content} rules, how long they may wait for the client's data
 * ({@code tcp-request inspect-delay}) and how much of it may be buffered meanwhile.
 *
 * @param delayMs  {@code tcp-request inspect-delay}; 0: rules are evaluated at once, without data
 * @param maxBytes the most client data held while waiting (HAProxy: {@code tune.bufsize} less
 *                 {@code tune.maxrewrite}); a full buffer ends the wait
 */
public record TcpInspection(long delayMs, int maxBytes, List<Rule> rules) {

    public static final TcpInspection NONE = new TcpInspection(0, 0, List.of());

    public TcpInspection {
        rules = List.copyOf(rules);
    }

    /** Whether connections wait for content rules before they are routed. */
    public boolean inspects() {
        return !rules.isEmpty();
    }

    /** The outcome of the rules for what is known of a connection so far. */
    public enum Verdict { ACCEPT, REJECT, WAIT }

    /**
     * HAProxy's evaluation: the first rule whose condition holds decides; a condition that needs
     * data not there yet ({@link RequestView#helloPending()}) makes the connection wait; when no
     * rule holds, the connection is accepted.
     */
    public Verdict evaluate(RequestView view) {
        for (Rule r : rules) {
            int result = r.condition().test(view);
            if (result == ContentCondition.MISS) {
                return Verdict.WAIT;
            }
            if (result == ContentCondition.PASS) {
                return r.accept() ? Verdict.ACCEPT : Verdict.REJECT;
            }
        }
        return Verdict.ACCEPT;
    }

    /** {@code tcp-request content accept|reject [if|unless COND]}. */
    public record Rule(boolean accept, ContentCondition condition) {
    }

    /**
     * A condition with HAProxy's three outcomes: {@link #PASS}, {@link #FAIL}, or {@link #MISS}
     * while a sample it needs may still change.
     */
    @FunctionalInterface
    public interface ContentCondition {
        int FAIL = 0;
        int PASS = 1;
        int MISS = -1;

        ContentCondition ALWAYS = view -> PASS;

        int test(RequestView view);
    }
}
