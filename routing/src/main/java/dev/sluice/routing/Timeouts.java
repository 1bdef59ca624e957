package dev.sluice.routing;

/**
 * Effective timeouts of a frontend or backend in milliseconds, defaults already applied.
 * {@code 0} means "no timeout" (HAProxy's behaviour when a timeout is unset).
 */
public record Timeouts(long connectMs, long clientMs, long serverMs, long httpRequestMs,
                       long httpKeepAliveMs, long queueMs, long tunnelMs, long checkMs) {

    public static final Timeouts NONE = new Timeouts(0, 0, 0, 0, 0, 0, 0, 0);

    /** HAProxy: {@code timeout http-keep-alive} falls back to {@code http-request}, then {@code client}. */
    public long effectiveKeepAliveMs() {
        if (httpKeepAliveMs > 0) {
            return httpKeepAliveMs;
        }
        return httpRequestMs > 0 ? httpRequestMs : clientMs;
    }

    /** HAProxy: {@code timeout http-request} falls back to {@code client}. */
    public long effectiveHttpRequestMs() {
        return httpRequestMs > 0 ? httpRequestMs : clientMs;
    }

    /** HAProxy: {@code timeout tunnel} falls back to the larger of client and server. */
    public long effectiveTunnelMs(long serverMs) {
        return tunnelMs > 0 ? tunnelMs : Math.max(clientMs, serverMs);
    }
}
