package dev.sluice.proxy;

import static java.util.Objects.requireNonNull;

import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The statistics served on the http frontends at {@code STATS_URI}, as Docker Flow Proxy serves
 * HAProxy's stats page there: a request whose target begins with {@code uri} gets the page, or
 * HAProxy's CSV when {@code ;csv} follows.
 *
 * @param uri        the path (and query) the page answers at, e.g. {@code /admin?stats}
 * @param authorized whether an {@code Authorization} header value ({@code null}: none) may read them
 * @param render     the page ({@code false}) or the CSV ({@code true}); called off the event loops
 */
public record FrontendStats(String uri, Predicate<String> authorized, Function<Boolean, String> render) {

    public FrontendStats {
        requireNonNull(uri, "uri");
        requireNonNull(authorized, "authorized");
        requireNonNull(render, "render");
    }

    boolean matches(String target) {
        return target.startsWith(uri);
    }

    static boolean wantsCsv(String target, String uri) {
        return target.substring(uri.length()).startsWith(";csv");
    }
}
