package dev.sluice.routing;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/**
 * The TLS settings of one {@code ssl} bind, with the global {@code ssl-default-bind-*} defaults
 * already applied: an immutable value, equal when the settings are (so contexts can be built
 * once per distinct value).
 *
 * @param certificates {@code crt} files or directories and {@code crt-list} lines, in order; the
 *                     first certificate is the default. Empty: the certificate store (CERTS_DIR and
 *                     the {@code cert-*} secrets), as Docker Flow Proxy's binds
 * @param caFile       {@code ca-file}: the CAs that sign client certificates, or {@code null}
 * @param verify       {@code verify}: whether a client certificate is asked for and required
 * @param alpn         {@code alpn}, in order of preference; empty: Sluice's default (h2 and
 *                     http/1.1 with ENABLE_H2)
 * @param protocols    the TLS versions enabled, by their Java names ({@code TLSv1.3}, {@code TLSv1.2});
 *                     never empty, never below TLSv1.2
 * @param ciphers      {@code ciphers}: an OpenSSL cipher string for TLSv1.2, or {@code null} for
 *                     the provider's default
 * @param ciphersuites {@code ciphersuites}: TLSv1.3 suites separated by ':', or {@code null}
 * @param noTlsTickets {@code no-tls-tickets}: sessions are not resumed with tickets
 * @param strictSni    {@code strict-sni}: a client whose SNI names no certificate is refused
 */
public record BindTls(List<CertFile> certificates, Path caFile, Verify verify, List<String> alpn,
                      List<String> protocols, String ciphers, String ciphersuites, boolean noTlsTickets,
                      boolean strictSni) {

    /** Sluice's own floor and default: TLSv1.2 and TLSv1.3 only. */
    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** An {@code ssl} bind without options: the certificate store, no client certificates. */
    public static final BindTls DEFAULT = new BindTls(List.of(), null, Verify.NONE, List.of(), DEFAULT_PROTOCOLS,
            null, null, false, false);

    /** HAProxy's {@code verify}. */
    public enum Verify {
        /** No client certificate is asked for. */
        NONE,
        /** A client certificate is asked for; a client without one is accepted, one that does not verify is refused. */
        OPTIONAL,
        /** A client certificate that verifies against {@code ca-file} is required. */
        REQUIRED
    }

    /**
     * One certificate source: a PEM file (certificate chain and key) or a directory of them.
     *
     * @param sniFilters the {@code crt-list} SNI filters: the host names this certificate serves
     *                   instead of its own names ({@code *.example.com} allowed); empty: its own
     */
    public record CertFile(Path path, List<String> sniFilters) {
        public CertFile {
            requireNonNull(path, "path");
            sniFilters = List.copyOf(sniFilters);
        }
    }

    public BindTls {
        certificates = List.copyOf(certificates);
        requireNonNull(verify, "verify");
        alpn = List.copyOf(alpn);
        protocols = List.copyOf(protocols);
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("protocols: empty (expected TLSv1.2 and/or TLSv1.3)");
        }
    }

    /** Whether it serves the certificate store's certificates (no {@code crt} or {@code crt-list}). */
    public boolean usesStore() {
        return certificates.isEmpty();
    }
}
