package dev.sluice.routing.config;

import static java.util.Objects.requireNonNull;

/**
 * The check parameters of a {@code server} line, kept for the health module.
 *
 * @param fastInterMs {@code 0}: same as {@code interMs}
 * @param downInterMs {@code 0}: same as {@code interMs}
 * @param port        {@code 0}: the server's port
 * @param addr        {@code null}: the server's address
 * @param observe     passive observation of live traffic ({@code observe layer4|layer7})
 * @param errorLimit  consecutive observed errors that trigger {@code onError} ({@code error-limit})
 * @param onError     what {@code errorLimit} consecutive errors do ({@code on-error})
 */
public record HealthCheckConfig(boolean enabled, long interMs, long fastInterMs, long downInterMs,
                                int rise, int fall, int port, String addr, long slowstartMs,
                                Observe observe, int errorLimit, OnError onError) {

    /** HAProxy's {@code observe}: which errors of live traffic count against a server. */
    public enum Observe {
        /** Not observed (HAProxy's default). */
        NONE,
        /** Connection errors: refused, timed out, reset before a response. */
        LAYER4,
        /** Also 5xx answers (except 501 and 505), a timeout or a close before the response. */
        LAYER7
    }

    /** HAProxy's {@code on-error}. */
    public enum OnError {
        /** The next check runs now, then at {@code fastinter}. */
        FASTINTER,
        /** Counts as one failed check (HAProxy's default). */
        FAIL_CHECK,
        /** Leaves the server one failed check away from DOWN. */
        SUDDEN_DEATH,
        /** DOWN at once; {@code rise} passed checks bring it back. */
        MARK_DOWN;

        /** The configuration word: {@code fail-check}, ... */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    public static final HealthCheckConfig DEFAULT =
            new HealthCheckConfig(false, 2000, 0, 0, 2, 3, 0, null, 0);

    /** Without passive observation: {@code observe none}, {@code error-limit 10}, {@code on-error fail-check}. */
    public HealthCheckConfig(boolean enabled, long interMs, long fastInterMs, long downInterMs,
                             int rise, int fall, int port, String addr, long slowstartMs) {
        this(enabled, interMs, fastInterMs, downInterMs, rise, fall, port, addr, slowstartMs,
                Observe.NONE, 10, OnError.FAIL_CHECK);
    }

    public HealthCheckConfig {
        requireNonNull(observe, "observe");
        requireNonNull(onError, "onError");
    }

    /** The interval while the server is UP and its last checks all passed. */
    public long interMs() { return interMs; }

    /** {@code fastinter}, or {@code inter} when not set: while the state is changing. */
    public long effectiveFastInterMs() { return fastInterMs > 0 ? fastInterMs : interMs; }

    /** {@code downinter}, or {@code inter} when not set: while the server is DOWN. */
    public long effectiveDownInterMs() { return downInterMs > 0 ? downInterMs : interMs; }
}
