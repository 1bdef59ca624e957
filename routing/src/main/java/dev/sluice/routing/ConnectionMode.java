package dev.sluice.routing;

/**
 * HAProxy's {@code option http-keep-alive | http-server-close | httpclose}: what is kept open
 * after a response.
 */
public enum ConnectionMode {
    /** Client and server connections are kept alive (the default). */
    KEEP_ALIVE,
    /** The client connection is kept alive; the server connection is closed after each response. */
    SERVER_CLOSE,
    /** Both are closed after each response. */
    CLOSE
}
