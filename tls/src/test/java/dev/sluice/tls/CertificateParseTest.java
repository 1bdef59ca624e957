package dev.sluice.tls;

import static dev.sluice.tls.TestCertificates.EC;
import static dev.sluice.tls.TestCertificates.EC_OTHER;
import static dev.sluice.tls.TestCertificates.RSA;
import static dev.sluice.tls.TestCertificates.RSA_OTHER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.tls.TestCertificates.Issued;
import dev.sluice.tls.TestCertificates.KeyFormat;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CertificateParseTest {

    private final List<String> warnings = new ArrayList<>();

    @ParameterizedTest
    @EnumSource(KeyFormat.class)
    void parse_acceptsRsa_pkcs1AndPkcs8(KeyFormat format) throws Exception {
        Issued issued = TestCertificates.selfSigned(RSA, "example.com", "example.com", "WWW.Example.com");
        String pem = issued.pem(format);
        assertThat(pem).contains(format == KeyFormat.PKCS8 ? "BEGIN PRIVATE KEY" : "BEGIN RSA PRIVATE KEY");

        TlsCertificate certificate = CertificateStore.parse("example.com.pem", pem, warnings::add);

        assertThat(certificate.name()).isEqualTo("example.com.pem");
        assertThat(certificate.dnsNames()).containsExactly("example.com", "www.example.com");
        assertThat(certificate.chain()).containsExactly(issued.certificate());
        assertThat(certificate.key().getAlgorithm()).isEqualTo("RSA");
        assertThat(certificate.notAfter()).isEqualTo(issued.certificate().getNotAfter().toInstant());
        assertThat(warnings).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(KeyFormat.class)
    void parse_acceptsEc_sec1AndPkcs8(KeyFormat format) throws Exception {
        Issued issued = TestCertificates.selfSigned(EC, "ec.example.com", "ec.example.com");
        String pem = issued.pem(format);
        assertThat(pem).contains(format == KeyFormat.PKCS8 ? "BEGIN PRIVATE KEY" : "BEGIN EC PRIVATE KEY");

        TlsCertificate certificate = CertificateStore.parse("ec.pem", pem, warnings::add);

        assertThat(certificate.dnsNames()).containsExactly("ec.example.com");
        assertThat(certificate.key().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void parse_keepsTheChainWithItsIntermediate_leafFirst() throws Exception {
        Instant now = Instant.now();
        Issued root = TestCertificates.issue(null, RSA_OTHER, now.minus(Duration.ofDays(10)),
                now.plus(Duration.ofDays(3000)), true, "Test Root");
        Issued intermediate = TestCertificates.issue(root, EC_OTHER, now.minus(Duration.ofDays(10)),
                now.plus(Duration.ofDays(1000)), true, "Test Intermediate");
        Issued leaf = TestCertificates.issue(intermediate, RSA, now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(90)), false, "shop.example.com", "shop.example.com", "*.shop.example.com");
        String pem = TestCertificates.pem(leaf.certificate()) + TestCertificates.pem(intermediate.certificate())
                + TestCertificates.keyPem(RSA, KeyFormat.PKCS8);

        TlsCertificate certificate = CertificateStore.parse("shop.pem", pem, warnings::add);

        assertThat(certificate.chain()).containsExactly(leaf.certificate(), intermediate.certificate());
        assertThat(certificate.dnsNames()).containsExactly("shop.example.com", "*.shop.example.com");
    }

    @Test
    void parse_keyBeforeCertificate_andOtherBlocksAreAccepted() throws Exception {
        Issued issued = TestCertificates.selfSigned(EC, "x.example.com", "x.example.com");
        String pem = TestCertificates.keyPem(EC, KeyFormat.TRADITIONAL)
                + "-----BEGIN DH PARAMETERS-----\nMAoCAQACAQI=\n-----END DH PARAMETERS-----\n"
                + TestCertificates.pem(issued.certificate());

        assertThat(CertificateStore.parse("x.pem", pem, warnings::add).dnsNames()).containsExactly("x.example.com");
    }

    @Test
    void parse_usesTheCommonName_whenThereIsNoSubjectAltName() throws Exception {
        Issued issued = TestCertificates.selfSigned(EC, "Legacy.Example.com");

        assertThat(CertificateStore.parse("legacy.pem", issued.pem(KeyFormat.PKCS8), warnings::add).dnsNames())
                .containsExactly("legacy.example.com");
    }

    @Test
    void parse_warnsOfACertificateExpiringWithin30Days() throws Exception {
        Instant now = Instant.now();
        Issued issued = TestCertificates.issue(null, EC, now.minus(Duration.ofDays(80)), now.plus(Duration.ofDays(10)),
                false, "soon.example.com", "soon.example.com");

        CertificateStore.parse("soon.pem", issued.pem(KeyFormat.PKCS8), warnings::add);

        assertThat(warnings).singleElement().asString()
                .contains("soon.pem", "expires on " + issued.certificate().getNotAfter().toInstant(), "in 9 days");
    }

    @Test
    void parse_rejectsAnExpiredCertificate_sayingWhen() {
        Instant notAfter = Instant.parse("2024-01-01T00:00:00Z");
        Issued issued = TestCertificates.issue(null, RSA, notAfter.minus(Duration.ofDays(90)), notAfter, false,
                "old.example.com", "old.example.com");

        assertRejected("old.pem", issued.pem(KeyFormat.TRADITIONAL),
                "old.pem: the certificate expired on 2024-01-01T00:00:00Z");
    }

    @Test
    void parse_rejectsACertificateNotYetValid() {
        Instant notBefore = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        Issued issued = TestCertificates.issue(null, EC, notBefore, notBefore.plus(Duration.ofDays(90)), false,
                "future.example.com", "future.example.com");

        assertRejected("future.pem", issued.pem(KeyFormat.PKCS8),
                "future.pem: the certificate is not valid before " + notBefore);
    }

    @Test
    void parse_rejectsAKeyOfAnotherCertificate() {
        Issued issued = TestCertificates.selfSigned(RSA, "a.example.com", "a.example.com");
        String pem = TestCertificates.pem(issued.certificate())
                + TestCertificates.keyPem(RSA_OTHER, KeyFormat.TRADITIONAL);

        assertRejected("a.pem", pem, "a.pem: the private key does not match the certificate");
    }

    @Test
    void parse_rejectsAnEcKeyOfAnotherCertificate_andAKeyOfAnotherAlgorithm() {
        Issued ec = TestCertificates.selfSigned(EC, "a.example.com", "a.example.com");
        assertRejected("a.pem", TestCertificates.pem(ec.certificate())
                + TestCertificates.keyPem(EC_OTHER, KeyFormat.TRADITIONAL),
                "the private key does not match the certificate");
        assertRejected("a.pem", TestCertificates.pem(ec.certificate())
                + TestCertificates.keyPem(RSA, KeyFormat.PKCS8),
                "the private key does not match the certificate");
    }

    @Test
    void parse_rejectsGarbage_aPemWithoutKey_andOneWithoutCertificate() {
        Issued issued = TestCertificates.selfSigned(EC, "a.example.com", "a.example.com");

        assertRejected("junk.pem", "this is not a certificate\n", "junk.pem: no certificate in the PEM");
        assertRejected("cert.pem", TestCertificates.pem(issued.certificate()), "cert.pem: no private key in the PEM");
        assertRejected("key.pem", TestCertificates.keyPem(EC, KeyFormat.PKCS8),
                "key.pem: no certificate in the PEM");
    }

    @Test
    void parse_rejectsACertificateThatDoesNotParse() {
        String pem = "-----BEGIN CERTIFICATE-----\nTUlJQm5vdCBhIGNlcnRpZmljYXRl\n-----END CERTIFICATE-----\n"
                + TestCertificates.keyPem(EC, KeyFormat.PKCS8);

        assertRejected("broken.pem", pem, "broken.pem: certificate 1 of the PEM does not parse");
    }

    @Test
    void parse_rejectsAnEncryptedKey() {
        Issued issued = TestCertificates.selfSigned(EC, "a.example.com", "a.example.com");
        String pem = TestCertificates.pem(issued.certificate())
                + "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAoCAQACAQI=\n-----END ENCRYPTED PRIVATE KEY-----\n";

        assertRejected("enc.pem", pem, "enc.pem: the private key is encrypted");
    }

    @Test
    void toString_doesNotShowTheKey() throws Exception {
        KeyPair keys = EC;
        TlsCertificate certificate = CertificateStore.parse("a.pem",
                TestCertificates.selfSigned(keys, "a.example.com", "a.example.com").pem(KeyFormat.PKCS8), w -> {});

        assertThat(certificate.toString()).contains("a.pem", "a.example.com").doesNotContain("key");
    }

    private void assertRejected(String name, String pem, String message) {
        assertThatThrownBy(() -> CertificateStore.parse(name, pem, warnings::add))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining(message);
    }
}
