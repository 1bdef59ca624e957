package dev.sluice.routing.config;

/**
 * The {@code global} settings Sluice uses.
 *
 * @param maxconn    {@code 0} when unset
 * @param bufsize    {@code tune.bufsize}: the largest request head accepted
 * @param maxHeaders {@code tune.http.maxhdr}
 * @param sslServerVerify {@code ssl-server-verify}: the {@code verify} of servers that give none
 *                        ({@code DEFAULT}: not set, which means {@code required})
 */
public record GlobalConfig(int maxconn, int bufsize, int maxHeaders, ServerTlsConfig.Verify sslServerVerify) {

    public static final GlobalConfig DEFAULT = new GlobalConfig(0, 16384, 101);

    public GlobalConfig {
        java.util.Objects.requireNonNull(sslServerVerify, "sslServerVerify");
    }

    public GlobalConfig(int maxconn, int bufsize, int maxHeaders) {
        this(maxconn, bufsize, maxHeaders, ServerTlsConfig.Verify.DEFAULT);
    }
}
