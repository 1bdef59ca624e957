package dev.sluice.routing;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The certificate a TLS client presented, as the {@code ssl_c_*} fetches see it.
 *
 * @param verify  HAProxy's {@code ssl_c_verify}: 0 when it verified, else OpenSSL's X509 error
 *                number (10 expired, 9 not yet valid, 20 unknown issuer, 18 self-signed, ...)
 * @param subject the subject's distinguished name, entries in the certificate's order
 * @param issuer  the issuer's distinguished name, entries in the certificate's order
 */
public record ClientCertificate(int verify, List<DnEntry> subject, List<DnEntry> issuer) {

    /** One attribute of a distinguished name, with OpenSSL's short name ({@code CN}, {@code O}, {@code emailAddress}). */
    public record DnEntry(String type, String value) {
        public DnEntry {
            requireNonNull(type, "type");
            requireNonNull(value, "value");
        }
    }

    public ClientCertificate {
        subject = List.copyOf(subject);
        issuer = List.copyOf(issuer);
    }

    /** HAProxy's one-line form: {@code /C=FR/O=Example/CN=client1}. */
    public static String oneLine(List<DnEntry> dn) {
        StringBuilder out = new StringBuilder();
        for (DnEntry e : dn) {
            out.append('/').append(e.type()).append('=').append(e.value());
        }
        return out.toString();
    }

    /** The value of the first entry named {@code type} (case-sensitive, as OpenSSL's short names), or null. */
    public static String entry(List<DnEntry> dn, String type) {
        for (DnEntry e : dn) {
            if (e.type().equals(type)) {
                return e.value();
            }
        }
        return null;
    }
}
