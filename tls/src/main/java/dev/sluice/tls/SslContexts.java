package dev.sluice.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.cert.X509Certificate;
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
        SslContextBuilder builder = SslContextBuilder
                .forServer(certificate.key(), certificate.chain().toArray(new X509Certificate[0]))
                .sslProvider(provider())
                .protocols(PROTOCOLS);
        if (!alpn.isEmpty()) {
            // NO_ADVERTISE / ACCEPT: a client that offers none of ours still gets TLS, as HTTP/1.1.
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(Protocol.ALPN,
                    SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT, alpn));
        }
        return builder.build();
    }
}
