package dev.sluice.routing;

/**
 * One {@code bind [ADDR]:PORT [ssl ...]} line. {@code host} is {@code null} for all addresses;
 * {@code tls} is the bind's TLS settings when {@code ssl}, else {@code null}.
 */
public record Bind(String host, int port, boolean ssl, BindTls tls) {

    public Bind {
        if (ssl && tls == null) {
            tls = BindTls.DEFAULT;
        }
        if (!ssl) {
            tls = null;
        }
    }

    /** An ssl bind with {@link BindTls#DEFAULT} settings, or a plain one. */
    public Bind(String host, int port, boolean ssl) {
        this(host, port, ssl, null);
    }
}
