package dev.sluice.routing.config;

/** One error or warning of a configuration file, printed as {@code FILE:LINE: message}. */
public record ConfigMessage(String file, int line, String message) {

    @Override
    public String toString() {
        return file + ':' + line + ": " + message;
    }
}
