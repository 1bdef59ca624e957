package dev.sluice.routing.config;

import java.util.List;

/**
 * The {@code global} settings Sluice uses.
 *
 * @param maxconn             {@code 0} when unset
 * @param bufsize             {@code tune.bufsize}: the largest request head accepted
 * @param maxHeaders          {@code tune.http.maxhdr}
 * @param sslBindOptions      {@code ssl-default-bind-options}: the options every {@code ssl} bind
 *                            starts from (SSL_BIND_OPTIONS), as written; empty when unset
 * @param sslBindCiphers      {@code ssl-default-bind-ciphers} (SSL_BIND_CIPHERS), or {@code null}
 * @param sslBindCiphersuites {@code ssl-default-bind-ciphersuites}, or {@code null}
 * @param sslServerVerify     {@code ssl-server-verify}: the {@code verify} of servers that give none
 *                            ({@code DEFAULT}: not set, which means {@code required})
 * @param log                 a {@code log} line: the access log is written (to standard output)
 */
public record GlobalConfig(int maxconn, int bufsize, int maxHeaders, List<String> sslBindOptions,
                           String sslBindCiphers, String sslBindCiphersuites, ServerTlsConfig.Verify sslServerVerify,
                           boolean log) {

    public static final GlobalConfig DEFAULT = new GlobalConfig(0, 16384, 101);

    public GlobalConfig {
        sslBindOptions = List.copyOf(sslBindOptions);
        java.util.Objects.requireNonNull(sslServerVerify, "sslServerVerify");
    }

    public GlobalConfig(int maxconn, int bufsize, int maxHeaders) {
        this(maxconn, bufsize, maxHeaders, List.of(), null, null, ServerTlsConfig.Verify.DEFAULT, false);
    }
}
