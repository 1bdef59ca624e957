package dev.sluice.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
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

/** Certificates made with BouncyCastle for the tests, and their PEM texts. */
final class TestCertificates {

    enum KeyFormat { TRADITIONAL /* PKCS#1 for RSA, SEC1 for EC */, PKCS8 }

    /** Keys are slow to make (RSA): a few, shared. */
    static final KeyPair RSA = keyPair("RSA");
    static final KeyPair RSA_OTHER = keyPair("RSA");
    static final KeyPair EC = keyPair("EC");
    static final KeyPair EC_OTHER = keyPair("EC");

    private static final AtomicLong SERIAL = new AtomicLong(1);

    /** A certificate and the key pair it was issued to. */
    record Issued(X509Certificate certificate, KeyPair keyPair) {

        /** The certificate then its private key. */
        String pem(KeyFormat format) {
            return TestCertificates.pem(certificate) + keyPem(keyPair, format);
        }
    }

    private TestCertificates() {}

    /** Self-signed, valid from a day ago for a year. */
    static Issued selfSigned(KeyPair keys, String cn, String... dnsNames) {
        Instant now = Instant.now();
        return issue(null, keys, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), false, cn, dnsNames);
    }

    static Issued issue(Issued issuer, KeyPair keys, Instant notBefore, Instant notAfter, boolean ca, String cn,
                        String... dnsNames) {
        try {
            X500Name subject = new X500Name("CN=" + cn);
            X500Name issuerName = issuer == null ? subject
                    : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
                    BigInteger.valueOf(SERIAL.getAndIncrement()), Date.from(notBefore), Date.from(notAfter),
                    subject, keys.getPublic());
            if (dnsNames.length > 0) {
                GeneralName[] names = new GeneralName[dnsNames.length];
                for (int i = 0; i < dnsNames.length; i++) {
                    names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
                }
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            PrivateKey signingKey = issuer == null ? keys.getPrivate() : issuer.keyPair().getPrivate();
            String algorithm = signingKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(signingKey)));
            return new Issued(certificate, keys);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    /** PKCS#8 "PRIVATE KEY", or PKCS#1 "RSA PRIVATE KEY" / SEC1 "EC PRIVATE KEY" as OpenSSL writes them. */
    static String keyPem(KeyPair keys, KeyFormat format) {
        try {
            if (format == KeyFormat.PKCS8) {
                return pem(new JcaPKCS8Generator(keys.getPrivate(), null).generate());
            }
            if (keys.getPrivate().getAlgorithm().equals("RSA")) {
                return pem(keys.getPrivate());
            }
            // The JDK's encoding keeps the curve in PKCS#8's algorithm identifier only; SEC1 carries it inside.
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
            ECPrivateKey sec1 = new ECPrivateKey(256, ((java.security.interfaces.ECPrivateKey) keys.getPrivate()).getS(),
                    SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()).getPublicKeyData(),
                    info.getPrivateKeyAlgorithm().getParameters());
            return pem(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair keyPair(String algorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("EC")) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
