package dev.sluice.tls;

import dev.sluice.routing.BindTls;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/** Builds the server SslContext of a certificate: TLSv1.3 and TLSv1.2, the provider's default ciphers. */
final class SslContexts {

    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private SslContexts() {}

    static SslProvider provider() {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    static String providerName() {
        return OpenSsl.isAvailable() ? "OpenSSL (BoringSSL)" : "JDK";
    }

    static SslContext server(TlsCertificate certificate, List<String> alpn) throws SSLException {
        return server(certificate, BindTls.DEFAULT, alpn, List.of());
    }

    /**
     * The context of one certificate on a bind with {@code tls}'s settings. BoringSSL cannot
     * restrict TLSv1.3 suites, so a bind with {@code ciphersuites} is served by the JDK's provider.
     *
     * @param alpn   the ALPN protocols when the bind names none
     * @param caFile the certificates of {@code tls.caFile()}, to verify clients with
     */
    static SslContext server(TlsCertificate certificate, BindTls tls, List<String> alpn, List<X509Certificate> caFile)
            throws SSLException {
        SslProvider provider = tls.ciphersuites() != null ? SslProvider.JDK : provider();
        SslContextBuilder builder = SslContextBuilder
                .forServer(certificate.key(), certificate.chain().toArray(new X509Certificate[0]))
                .sslProvider(provider)
                .protocols(tls.protocols().toArray(new String[0]));
        List<String> protocols = tls.alpn().isEmpty() ? alpn : tls.alpn();
        if (!protocols.isEmpty()) {
            // NO_ADVERTISE / ACCEPT: a client that offers none of ours still gets TLS, as HTTP/1.1.
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(Protocol.ALPN,
                    SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT, protocols));
        }
        List<String> ciphers = ciphers(tls, provider);
        if (ciphers != null) {
            builder.ciphers(ciphers);
        }
        if (tls.verify() != BindTls.Verify.NONE) {
            builder.trustManager(caFile.toArray(new X509Certificate[0]))
                    .clientAuth(tls.verify() == BindTls.Verify.REQUIRED ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
        }
        SslContext context = builder.build();
        if (tls.noTlsTickets()) {
            noTickets(context);
        }
        return context;
    }

    /**
     * {@code no-tls-tickets}: SSL_OP_NO_TICKET on the context, as Netty's own session context
     * does. Netty keeps the tcnative context handle package-private (its public
     * {@code sslCtxPointer()} is the raw SSL_CTX, which tcnative's calls do not take), so it is read
     * reflectively; when that or the provider does not allow it, the bind is refused rather than
     * served with tickets.
     */
    private static void noTickets(SslContext context) throws SSLException {
        if (!(context instanceof ReferenceCountedOpenSslContext openSsl)) {
            throw new SSLException("no-tls-tickets: not supported by the JDK's TLS provider");
        }
        try {
            java.lang.reflect.Field field = ReferenceCountedOpenSslContext.class.getDeclaredField("ctx");
            field.setAccessible(true);
            io.netty.internal.tcnative.SSLContext.setOptions(field.getLong(openSsl),
                    io.netty.internal.tcnative.SSL.SSL_OP_NO_TICKET);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new SSLException("no-tls-tickets: cannot be applied (" + e + ")", e);
        }
    }

    /** The suites to enable, or null for the provider's defaults. */
    private static List<String> ciphers(BindTls tls, SslProvider provider) throws SSLException {
        if (tls.ciphers() == null && tls.ciphersuites() == null) {
            return null;
        }
        if (provider != SslProvider.JDK) {
            return CipherStrings.tls12(tls.ciphers()); // BoringSSL keeps its TLSv1.3 suites
        }
        List<String> out = new ArrayList<>();
        if (tls.protocols().contains("TLSv1.3")) {
            out.addAll(tls.ciphersuites() == null ? List.copyOf(CipherStrings.TLS13)
                    : CipherStrings.tls13(tls.ciphersuites()));
        }
        if (tls.protocols().contains("TLSv1.2")) {
            out.addAll(tls.ciphers() == null ? jdkTls12() : CipherStrings.toJava(CipherStrings.tls12(tls.ciphers())));
        }
        return out;
    }

    private static List<String> jdkTls12() throws SSLException {
        try {
            List<String> out = new ArrayList<>();
            for (String c : javax.net.ssl.SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites()) {
                if (!CipherStrings.TLS13.contains(c)) {
                    out.add(c);
                }
            }
            return out;
        } catch (NoSuchAlgorithmException e) {
            throw new SSLException(e);
        }
    }
}
