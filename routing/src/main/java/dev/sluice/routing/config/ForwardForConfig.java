package dev.sluice.routing.config;

/** {@code option forwardfor [except NET] [header NAME]}; {@code except} may be {@code null}. */
public record ForwardForConfig(String header, String except) {

    public static final String DEFAULT_HEADER = "X-Forwarded-For";
}
