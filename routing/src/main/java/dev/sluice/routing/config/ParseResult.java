package dev.sluice.routing.config;

import java.util.List;

/**
 * The outcome of parsing a configuration.
 *
 * @param config {@code null} when {@code errors} is not empty
 */
public record ParseResult(ProxyConfig config, List<ConfigMessage> errors, List<ConfigMessage> warnings) {

    public ParseResult {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    public boolean ok() {
        return errors.isEmpty();
    }
}
