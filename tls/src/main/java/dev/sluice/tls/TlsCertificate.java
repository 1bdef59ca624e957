package dev.sluice.tls;

import static java.util.Objects.requireNonNull;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * One certificate: its chain (leaf first) and private key, and the names it serves.
 *
 * @param name     the file name it was loaded from or stored as, for example {@code "example.com.pem"}
 * @param chain    the leaf certificate first, then the intermediates; never empty
 * @param key      the private key of the leaf certificate
 * @param dnsNames the leaf's subjectAltName dNSNames, else its subject CN; lower case; a wildcard
 *                 is written {@code "*.example.com"}
 * @param notAfter when the leaf certificate expires
 */
public record TlsCertificate(String name, List<X509Certificate> chain, PrivateKey key, List<String> dnsNames,
                             Instant notAfter) {

    public TlsCertificate {
        requireNonNull(name, "name");
        chain = List.copyOf(requireNonNull(chain, "chain"));
        requireNonNull(key, "key");
        dnsNames = List.copyOf(requireNonNull(dnsNames, "dnsNames"));
        requireNonNull(notAfter, "notAfter");
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("chain: empty (expected: the leaf certificate at least)");
        }
    }

    /** The leaf certificate, the one the private key belongs to. */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** Without the key, so a certificate can be logged. */
    @Override
    public String toString() {
        return "TlsCertificate[name=" + name + ", dnsNames=" + dnsNames + ", notAfter=" + notAfter + "]";
    }
}
