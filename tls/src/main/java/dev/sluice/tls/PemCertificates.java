package dev.sluice.tls;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Parses and validates a combined PEM: certificate chain (leaf first) and the leaf's private key. */
final class PemCertificates {

    /** A certificate expiring within this is loaded with a warning. */
    static final Duration EXPIRY_WARNING = Duration.ofDays(30);

    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s.*?-----END \\1-----", Pattern.DOTALL);

    private PemCertificates() {}

    static TlsCertificate parse(String name, String pem, Instant now, Consumer<String> warnings)
            throws CertificateException {
        List<X509Certificate> chain = new ArrayList<>();
        PrivateKey key = null;
        String curvelessEc = null;
        CertificateException curvelessError = null;
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            String type = m.group(1);
            if (type.equals("CERTIFICATE")) {
                chain.add(certificate(name, m.group(), chain.size()));
            } else if (type.endsWith("PRIVATE KEY")) {
                if (key != null || curvelessEc != null) {
                    throw error(name, "more than one private key in the PEM (expected: one, the leaf's)");
                }
                try {
                    key = privateKey(name, type, m.group());
                } catch (CertificateException e) {
                    if (!type.equals("EC PRIVATE KEY")) {
                        throw e;
                    }
                    // a SEC1 key written without its curve: the leaf certificate names the curve
                    curvelessEc = m.group();
                    curvelessError = e;
                }
            }
            // Other blocks (DH PARAMETERS, EC PARAMETERS) are not ours to use: HAProxy PEMs may carry them.
        }
        if (chain.isEmpty()) {
            throw error(name, "no certificate in the PEM (expected: -----BEGIN CERTIFICATE-----)");
        }
        if (key == null && curvelessEc != null) {
            key = ecKeyOnTheCurveOf(curvelessEc, chain.get(0), curvelessError);
        }
        if (key == null) {
            throw error(name, "no private key in the PEM (expected: -----BEGIN PRIVATE KEY-----, "
                    + "-----BEGIN RSA PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----)");
        }
        X509Certificate leaf = chain.get(0);
        checkKeyMatches(name, key, leaf.getPublicKey());
        checkValidity(name, leaf, now, warnings);
        return new TlsCertificate(name, chain, key, dnsNames(leaf), leaf.getNotAfter().toInstant());
    }

    private static X509Certificate certificate(String name, String block, int index) throws CertificateException {
        try (PEMParser parser = new PEMParser(new StringReader(block))) {
            Object o = parser.readObject();
            if (!(o instanceof X509CertificateHolder holder)) {
                throw error(name, "certificate " + (index + 1) + " of the PEM does not parse");
            }
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (IOException | CertificateException | RuntimeException e) {
            throw error(name, "certificate " + (index + 1) + " of the PEM does not parse: " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(String name, String type, String block) throws CertificateException {
        if (type.equals("ENCRYPTED PRIVATE KEY")) {
            throw error(name, "the private key is encrypted (expected: an unencrypted key)");
        }
        try (PEMParser parser = new PEMParser(new StringReader(block))) {
            Object o = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair pair) { // PKCS#1 "RSA PRIVATE KEY", SEC1 "EC PRIVATE KEY"
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (o instanceof PrivateKeyInfo info) { // PKCS#8 "PRIVATE KEY"
                return converter.getPrivateKey(info);
            }
            throw error(name, "the " + type + " of the PEM is not a private key"
                    + " (expected: an unencrypted RSA or EC key)");
        } catch (IOException | RuntimeException e) {
            throw error(name, "the " + type + " of the PEM does not parse: " + e.getMessage(), e);
        }
    }

    /**
     * A SEC1 {@code EC PRIVATE KEY} without its curve parameters (BouncyCastle's writer leaves them
     * out): the private value on the curve of the leaf certificate's public key. When that fails,
     * the original parse error stands.
     */
    private static PrivateKey ecKeyOnTheCurveOf(String block, X509Certificate leaf, CertificateException original)
            throws CertificateException {
        if (!(leaf.getPublicKey() instanceof java.security.interfaces.ECPublicKey ecPublic)) {
            throw original;
        }
        try (org.bouncycastle.util.io.pem.PemReader reader = new org.bouncycastle.util.io.pem.PemReader(
                new StringReader(block))) {
            byte[] der = reader.readPemObject().getContent();
            java.math.BigInteger d = org.bouncycastle.asn1.sec.ECPrivateKey
                    .getInstance(org.bouncycastle.asn1.ASN1Primitive.fromByteArray(der)).getKey();
            return java.security.KeyFactory.getInstance("EC")
                    .generatePrivate(new java.security.spec.ECPrivateKeySpec(d, ecPublic.getParams()));
        } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
            throw original;
        }
    }

    /** Signs with the key and verifies with the certificate's public key: works for every key encoding. */
    private static void checkKeyMatches(String name, PrivateKey key, PublicKey publicKey) throws CertificateException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            default -> throw error(name, "unsupported private key algorithm " + key.getAlgorithm()
                    + " (expected: RSA or EC)");
        };
        if (!sameAlgorithm(key.getAlgorithm(), publicKey.getAlgorithm())) {
            throw error(name, "the private key does not match the certificate (" + key.getAlgorithm()
                    + " key, " + publicKey.getAlgorithm() + " certificate)");
        }
        byte[] data = new byte[32];
        new SecureRandom().nextBytes(data);
        boolean matches;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(data);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(data);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            matches = false;
        }
        if (!matches) {
            throw error(name, "the private key does not match the certificate");
        }
    }

    private static boolean sameAlgorithm(String a, String b) {
        return normalize(a).equals(normalize(b));
    }

    private static String normalize(String algorithm) {
        return algorithm.equals("ECDSA") ? "EC" : algorithm;
    }

    private static void checkValidity(String name, X509Certificate leaf, Instant now, Consumer<String> warnings)
            throws CertificateException {
        Instant notBefore = leaf.getNotBefore().toInstant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        if (now.isAfter(notAfter)) {
            throw error(name, "the certificate expired on " + notAfter);
        }
        if (now.isBefore(notBefore)) {
            throw error(name, "the certificate is not valid before " + notBefore);
        }
        Duration left = Duration.between(now, notAfter);
        if (left.compareTo(EXPIRY_WARNING) < 0) {
            warnings.accept(name + ": the certificate expires on " + notAfter + " (in " + left.toDays() + " days)");
        }
    }

    /** The subjectAltName dNSNames, else the subject CN; lower case. */
    static List<String> dnsNames(X509Certificate leaf) throws CertificateException {
        List<String> names = new ArrayList<>();
        Collection<List<?>> sans;
        try {
            sans = leaf.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new CertificateException("the subjectAltName extension does not parse: " + e.getMessage(), e);
        }
        if (sans != null) {
            for (List<?> san : sans) {
                if (san.size() >= 2 && Integer.valueOf(2).equals(san.get(0)) && san.get(1) instanceof String dns) {
                    names.add(dns.toLowerCase(Locale.ROOT));
                }
            }
        }
        if (names.isEmpty()) {
            X500Name subject = X500Name.getInstance(leaf.getSubjectX500Principal().getEncoded());
            for (RDN rdn : subject.getRDNs(BCStyle.CN)) {
                ASN1Encodable value = rdn.getFirst().getValue();
                names.add(IETFUtils.valueToString(value).toLowerCase(Locale.ROOT));
            }
        }
        return List.copyOf(names);
    }

    private static CertificateException error(String name, String problem) {
        return new CertificateException(name + ": " + problem);
    }

    private static CertificateException error(String name, String problem, Throwable cause) {
        if (cause instanceof CertificateException ce && ce.getMessage() != null && ce.getMessage().startsWith(name)) {
            return ce;
        }
        return new CertificateException(name + ": " + problem, cause);
    }
}
