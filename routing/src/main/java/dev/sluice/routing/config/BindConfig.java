package dev.sluice.routing.config;

import dev.sluice.routing.Bind;
import dev.sluice.routing.BindTls;
import java.util.List;

/**
 * One {@code bind} line. {@code options} are the tokens after the address other than {@code ssl}
 * (for example {@code crt FILE}, {@code alpn h2}), kept so they render back unchanged; {@code tls}
 * is what they mean for an {@code ssl} bind (with the global {@code ssl-default-bind-*}
 * defaults), {@code null} without {@code ssl}.
 */
public record BindConfig(String host, int port, boolean ssl, List<String> options, BindTls tls) {

    public BindConfig {
        options = List.copyOf(options);
        if (ssl && tls == null) {
            tls = BindTls.DEFAULT;
        }
        if (!ssl) {
            tls = null;
        }
    }

    /** Options that do not change TLS ({@code tls} is {@link BindTls#DEFAULT} when ssl). */
    public BindConfig(String host, int port, boolean ssl, List<String> options) {
        this(host, port, ssl, options, null);
    }

    public static BindConfig of(Bind bind) {
        return new BindConfig(bind.host(), bind.port(), bind.ssl(), List.of(), bind.tls());
    }

    /**
     * A bind built outside a configuration file (DEFAULT_PORTS, CA_FILE), read as the line
     * {@code bind HOST:PORT [ssl] OPTIONS} would be after {@code global}'s {@code ssl-default-bind-*}.
     *
     * @param baseDir resolves relative file names; {@code null} for the working directory
     * @param warnings receives what the parser would warn about
     * @throws IllegalArgumentException saying what is wrong, for example a file that cannot be read
     */
    public static BindConfig parse(String host, int port, boolean ssl, List<String> options, GlobalConfig global,
                                   java.nio.file.Path baseDir, java.util.function.Consumer<String> warnings) {
        ParseContext ctx = new ParseContext("bind", baseDir);
        ctx.sslDefaults = BindTlsParser.defaults(global.sslBindOptions(), global.sslBindCiphers(),
                global.sslBindCiphersuites());
        List<String> words = new java.util.ArrayList<>();
        words.add("bind");
        words.add((host == null ? "" : host.contains(":") ? "[" + host + "]" : host) + ":" + port);
        if (ssl) {
            words.add("ssl");
        }
        words.addAll(options);
        try {
            List<BindConfig> binds = BindParser.parse(ctx, 1, words);
            ctx.warnings.forEach(w -> warnings.accept(w.message()));
            return binds.get(0);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    public Bind toBind() {
        return new Bind(host, port, ssl, tls);
    }
}
