package dev.sluice.admin;

/** The admin port could not be opened. The message names the port and what to do. */
public final class AdminBindException extends Exception {

    public AdminBindException(String host, int port, Throwable cause) {
        super("admin API: cannot listen on " + host + ':' + port + " (" + (cause == null ? "unknown error"
                : cause.getMessage()) + "): another process may listen there; choose another port with "
                + "ADMIN_PORT or --admin-port", cause);
    }
}
