package dev.sluice.routing;

/**
 * Told when a server's passively observed errors ({@code observe}) reach its {@code error-limit};
 * the health module applies {@code on-error}. Called on a proxy event loop: must not block.
 */
@FunctionalInterface
public interface ErrorLimitListener {

    /** {@code errors} consecutive errors were seen; the last one was {@code reason}. */
    void onErrorLimit(int errors, String reason);
}
