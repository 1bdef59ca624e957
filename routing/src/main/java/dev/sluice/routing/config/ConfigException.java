package dev.sluice.routing.config;

/** A problem on one line; the parser records it with the line number and goes on. */
final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ConfigException(String message) {
        super(message, null, false, false);
    }
}
