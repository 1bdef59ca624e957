package dev.sluice.proxy;

import dev.sluice.routing.ClientCertificate;
import dev.sluice.routing.ClientCertificate.DnEntry;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.security.auth.x500.X500Principal;

/**
 * The certificate a TLS client presented (HAProxy's {@code ssl_c_*}), read once per connection
 * from the finished handshake. A certificate that does not verify fails the handshake (as in
 * HAProxy without {@code ca-ignore-err}/{@code crt-ignore-err}), so a presented one verified: 0.
 */
final class ClientCertificates {

    /** OpenSSL's short names for the attributes RFC 2253 writes as OIDs. */
    private static final Map<String, String> SHORT_NAMES = Map.of("1.2.840.113549.1.9.1", "emailAddress",
            "2.5.4.5", "serialNumber", "2.5.4.4", "SN", "2.5.4.42", "GN", "2.5.4.12", "title",
            "2.5.4.13", "description", "2.5.4.17", "postalCode");

    private ClientCertificates() {
    }

    /** The client certificate of {@code channel}'s TLS connection (its parent's for an h2 stream), or null. */
    static ClientCertificate of(Channel channel) {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null && channel.parent() != null) {
            ssl = channel.parent().pipeline().get(SslHandler.class);
        }
        if (ssl == null) {
            return null;
        }
        Certificate[] chain;
        try {
            chain = ssl.engine().getSession().getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return null; // none presented (verify optional)
        }
        if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            return null;
        }
        return new ClientCertificate(0, dn(leaf.getSubjectX500Principal()), dn(leaf.getIssuerX500Principal()));
    }

    /** The entries in the certificate's order (RFC 2253 writes them last first). */
    static List<DnEntry> dn(X500Principal principal) {
        List<DnEntry> out = new ArrayList<>();
        try {
            LdapName name = new LdapName(principal.getName(X500Principal.RFC2253, SHORT_NAMES));
            for (Rdn rdn : name.getRdns()) { // index 0 is the rightmost, the certificate's first
                Object value = rdn.getValue();
                out.add(new DnEntry(rdn.getType(), value instanceof String s ? s : Rdn.escapeValue(value)));
            }
        } catch (InvalidNameException | IllegalArgumentException e) {
            out.add(new DnEntry("DN", principal.getName()));
        }
        return out;
    }
}
