package dev.sluice.proxy;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates for tests of TLS to backends, made with BouncyCastle (EC keys: fast): a CA, leaf
 * certificates it issues, self-signed ones, their PEM files and Netty server contexts.
 */
public final class TestPki {

    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

    /** A certificate and its key. */
    public record Issued(X509Certificate certificate, KeyPair keys) {

        /** The certificate then its PKCS#8 key, as HAProxy's {@code crt} files hold them. */
        public String pem() {
            return TestPki.pem(certificate) + keyPem(keys);
        }

        /** Writes {@link #pem()} to {@code file}. */
        public Path write(Path file) throws IOException {
            return Files.writeString(file, pem());
        }

        /** Writes only the certificate (a {@code ca-file}). */
        public Path writeCertificate(Path file) throws IOException {
            return Files.writeString(file, TestPki.pem(certificate));
        }

        /** A server context presenting this certificate. */
        public SslContext serverContext() throws IOException {
            return SslContextBuilder.forServer(keys.getPrivate(), certificate).build();
        }

        /** A server context presenting this certificate that requires a client certificate issued by {@code ca}. */
        public SslContext serverContextRequiringClientsOf(Issued ca) throws IOException {
            return SslContextBuilder.forServer(keys.getPrivate(), certificate)
                    .trustManager(ca.certificate()).clientAuth(ClientAuth.REQUIRE).build();
        }
    }

    private TestPki() {
    }

    /** A CA certificate. */
    public static Issued ca(String cn) {
        return issue(null, cn, true);
    }

    /** A leaf certificate for {@code dnsNames} (the first is also the CN), issued by {@code issuer} ({@code null}: self-signed). */
    public static Issued issue(Issued issuer, String... dnsNames) {
        return issue(issuer, dnsNames[0], false, dnsNames);
    }

    private static Issued issue(Issued issuer, String cn, boolean ca, String... dnsNames) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = g.generateKeyPair();
            X500Name subject = new X500Name("CN=" + cn);
            X500Name issuerName = issuer == null ? subject
                    : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName, BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))), subject, keys.getPublic());
            if (dnsNames.length > 0) {
                GeneralName[] names = new GeneralName[dnsNames.length];
                for (int i = 0; i < dnsNames.length; i++) {
                    names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
                }
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            KeyPair signer = issuer == null ? keys : issuer.keys();
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
            return new Issued(cert, keys);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(Object o) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    static String keyPem(KeyPair keys) {
        try {
            return pem(new JcaPKCS8Generator(keys.getPrivate(), null).generate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
