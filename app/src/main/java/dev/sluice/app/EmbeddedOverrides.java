package dev.sluice.app;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * What the environment changes in the embedded configuration (never in a file given with
 * {@code -f}): the {@code defaults} timeouts and connection mode, and raw lines added to
 * {@code global} and to frontend {@code services}.
 *
 * @param connectionMode {@code CONNECTION_MODE}: the {@code option} of {@code defaults}
 * @param extraGlobal    {@code EXTRA_GLOBAL} split into lines at each {@code ,} (and newline), as Docker Flow Proxy does
 * @param extraFrontend  {@code EXTRA_FRONTEND} split the same way
 * @param sslBindOptions {@code SSL_BIND_OPTIONS}: {@code global}'s {@code ssl-default-bind-options}, or null
 * @param sslBindCiphers {@code SSL_BIND_CIPHERS}: {@code global}'s {@code ssl-default-bind-ciphers}, or null
 */
record EmbeddedOverrides(DefaultTimeouts timeouts, String connectionMode, List<String> extraGlobal,
                         List<String> extraFrontend, String sslBindOptions, String sslBindCiphers) {

    /** What the routing parser accepts as {@code option} for a connection mode ({@code forceclose} with a warning). */
    static final List<String> CONNECTION_MODES = List.of("http-keep-alive", "http-server-close", "httpclose",
            "forceclose");

    EmbeddedOverrides {
        requireNonNull(timeouts, "timeouts");
        requireNonNull(connectionMode, "connectionMode");
        extraGlobal = List.copyOf(extraGlobal);
        extraFrontend = List.copyOf(extraFrontend);
    }

    /** The {@code global} lines of SSL_BIND_OPTIONS and SSL_BIND_CIPHERS, each with its variable's name. */
    List<String[]> sslGlobalLines() {
        List<String[]> out = new ArrayList<>();
        if (sslBindOptions != null) {
            out.add(new String[] {"ssl-default-bind-options " + sslBindOptions, "SSL_BIND_OPTIONS"});
        }
        if (sslBindCiphers != null) {
            out.add(new String[] {"ssl-default-bind-ciphers " + sslBindCiphers, "SSL_BIND_CIPHERS"});
        }
        return out;
    }

    static EmbeddedOverrides from(Environment env) {
        return new EmbeddedOverrides(
                DefaultTimeouts.from(env),
                env.oneOf("CONNECTION_MODE", "http-keep-alive", CONNECTION_MODES),
                lines(env.get("EXTRA_GLOBAL")),
                lines(env.get("EXTRA_FRONTEND")),
                env.get("SSL_BIND_OPTIONS"),
                env.get("SSL_BIND_CIPHERS"));
    }

    /** {@code a,b} -> lines {@code a} and {@code b} (a newline, as in a secret, splits too); blank pieces are dropped. */
    static List<String> lines(String value) {
        if (value == null) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        for (String piece : value.split("[,\r\n]")) {
            if (!piece.isBlank()) {
                lines.add(piece.trim());
            }
        }
        return List.copyOf(lines);
    }
}
