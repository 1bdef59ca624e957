package dev.sluice.routing.service;

/**
 * A service that cannot be accepted, with the HTTP status Docker Flow Proxy answers for it:
 * 400 for a missing or malformed parameter, 409 for a conflict (an http service with neither
 * path nor domain, a port another service holds), 500 when Sluice itself failed.
 */
public final class ServiceException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;

    public ServiceException(int status, String message) {
        super(message);
        this.status = status;
    }

    public static ServiceException badParameter(String parameter, String value, String expected) {
        return new ServiceException(400, parameter + ": '" + value + "' (expected " + expected + ")");
    }

    public int status() {
        return status;
    }
}
