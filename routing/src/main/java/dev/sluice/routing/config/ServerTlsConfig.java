package dev.sluice.routing.config;

import static java.util.Objects.requireNonNull;

/**
 * The TLS options of a {@code server} line: TLS to the server ({@code ssl}), how its certificate
 * is verified ({@code verify}, {@code ca-file}, {@code verifyhost}), the SNI sent ({@code sni}),
 * the client certificate presented ({@code crt}) and whether checks use TLS ({@code check-ssl},
 * {@code check-sni}). HAProxy's meaning throughout.
 *
 * @param verify     {@link Verify#DEFAULT} until the global {@code ssl-server-verify} is applied
 *                   ({@link #resolve}); a compiled server has {@code NONE} or {@code REQUIRED}
 * @param caFile     {@code null}, {@link #SYSTEM_CA}, or the absolute path of a PEM bundle
 * @param sni        {@code null} (no SNI is sent), or a checked expression: {@code str(NAME)},
 *                   {@code req.hdr(host)} or {@code hdr(host)}
 * @param crt        {@code null}, or the absolute path of a PEM file with the client certificate and key
 * @param verifyHost {@code null}, or the name the certificate must match when no SNI is sent
 * @param checkSni   {@code null}, or the SNI of TLS health checks
 */
public record ServerTlsConfig(boolean ssl, Verify verify, String caFile, String sni, String crt,
                              CheckSsl checkSsl, String verifyHost, String checkSni) {

    /** HAProxy's name for the trust store of the system (here: the JDK's). */
    public static final String SYSTEM_CA = "@system-ca";

    /** A server without TLS. */
    public static final ServerTlsConfig NONE = new ServerTlsConfig(false, Verify.DEFAULT, null, null, null,
            CheckSsl.DEFAULT, null, null);

    public enum Verify { DEFAULT, NONE, REQUIRED }

    /** {@code check-ssl} ({@code ON}), {@code no-check-ssl} ({@code OFF}) or neither. */
    public enum CheckSsl { DEFAULT, ON, OFF }

    public ServerTlsConfig {
        requireNonNull(verify, "verify");
        requireNonNull(checkSsl, "checkSsl");
    }

    /** Whether traffic or checks of this server use TLS at all. */
    public boolean usesTls() {
        return ssl || checkSsl == CheckSsl.ON;
    }

    /**
     * Whether health checks go over TLS: with {@code check-ssl}, or (HAProxy's rule) for an
     * {@code ssl} server whose checks are not sent elsewhere by {@code port} or {@code addr},
     * unless {@code no-check-ssl}.
     */
    public boolean checksOverTls(HealthCheckConfig check) {
        return switch (checkSsl) {
            case ON -> true;
            case OFF -> false;
            case DEFAULT -> ssl && check.port() == 0 && check.addr() == null;
        };
    }

    /** This config with {@link Verify#DEFAULT} replaced by the global {@code ssl-server-verify}. */
    public ServerTlsConfig resolve(Verify global) {
        if (verify != Verify.DEFAULT) {
            return this;
        }
        Verify v = global == Verify.NONE ? Verify.NONE : Verify.REQUIRED;
        return new ServerTlsConfig(ssl, v, caFile, sni, crt, checkSsl, verifyHost, checkSni);
    }

    /** Whether the certificate chain is verified (after {@link #resolve}; {@code DEFAULT} means required). */
    public boolean verifies() {
        return verify != Verify.NONE;
    }

    /** The SNI of {@code sni str(NAME)}; {@code null} when none is sent or it comes from the request. */
    public String fixedSni() {
        return sni != null && sni.startsWith("str(") ? sni.substring(4, sni.length() - 1) : null;
    }

    /** {@code sni req.hdr(host)} or {@code sni hdr(host)}: the SNI is the request's Host (without its port). */
    public boolean sniFromHost() {
        return sni != null && !sni.startsWith("str(");
    }

    /** The options that define the client SSL context (not the SNI, which is set per connection). */
    public ServerTlsConfig contextKey() {
        return new ServerTlsConfig(true, verifies() ? Verify.REQUIRED : Verify.NONE, caFile, null, crt,
                CheckSsl.DEFAULT, null, null);
    }
}
