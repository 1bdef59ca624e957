package dev.sluice.routing.config;

import dev.sluice.routing.Bind;
import java.util.List;

/**
 * One {@code bind} line. {@code options} are the tokens after the address other than {@code ssl}
 * (for example {@code crt FILE}, {@code alpn h2}), kept so they render back unchanged.
 */
public record BindConfig(String host, int port, boolean ssl, List<String> options) {

    public BindConfig {
        options = List.copyOf(options);
    }

    public static BindConfig of(Bind bind) {
        return new BindConfig(bind.host(), bind.port(), bind.ssl(), List.of());
    }

    public Bind toBind() {
        return new Bind(host, port, ssl);
    }
}
