package dev.sluice.tls;

import static dev.sluice.tls.TestCertificates.EC;
import static dev.sluice.tls.TestCertificates.EC_OTHER;
import static dev.sluice.tls.TestCertificates.RSA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.tls.TestCertificates.Issued;
import dev.sluice.tls.TestCertificates.KeyFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateStoreTest {

    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    @Test
    void load_generatesASelfSignedLocalhostCertificate_whenTheDirectoryIsMissing() throws Exception {
        CertificateStore store = CertificateStore.load(dir.resolve("missing"), null, null, warnings::add);

        TlsCertificate only = assertSelfSigned(store);
        Handshakes.Result result = Handshakes.handshake(store.defaultContext(), "localhost");
        assertThat(result.serverCertificate()).isEqualTo(only.leaf());
        assertThat(result.protocol()).isEqualTo("TLSv1.3");
        assertThat(result.applicationProtocol()).isEqualTo("http/1.1");
        assertThat(warnings).isEmpty();
    }

    @Test
    void load_generatesASelfSignedLocalhostCertificate_whenNothingLoads() throws Exception {
        write("junk.pem", "not a certificate");

        CertificateStore store = CertificateStore.load(dir, dir.resolve("no-secrets"), null, warnings::add);

        assertSelfSigned(store);
        assertThat(store.select("example.com")).isSameAs(store.defaultContext());
    }

    @Test
    void load_skipsABadFile_withAWarningNamingIt_andLoadsTheOthers() throws Exception {
        write("bad.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        write("a.example.com.pem", TestCertificates.selfSigned(EC, "a.example.com", "a.example.com")
                .pem(KeyFormat.TRADITIONAL));
        write(".a.example.com.pem.123.tmp", "left by a crash");
        write("a.example.com.pem.ocsp", "ocsp response");

        CertificateStore store = CertificateStore.load(dir, null, null, warnings::add);

        assertThat(store.certificates()).extracting(TlsCertificate::name).containsExactly("a.example.com.pem");
        assertThat(warnings).singleElement().asString()
                .contains(dir.resolve("bad.pem") + " skipped", "certificate 1 of the PEM does not parse");
    }

    @Test
    void load_readsCertificateSecrets_namedCertDashOrUnderscore() throws Exception {
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(secrets.resolve("cert-one"),
                TestCertificates.selfSigned(EC, "one.example.com", "one.example.com").pem(KeyFormat.PKCS8));
        Files.writeString(secrets.resolve("cert_two"),
                TestCertificates.selfSigned(RSA, "two.example.com", "two.example.com").pem(KeyFormat.PKCS8));
        Files.writeString(secrets.resolve("db-password"), "secret");

        CertificateStore store = CertificateStore.load(dir.resolve("certs"), secrets, null, warnings::add);

        assertThat(store.certificates()).extracting(TlsCertificate::name).containsExactly("cert-one", "cert_two");
        assertThat(store.certificateFor("two.example.com").name()).isEqualTo("cert_two");
        assertThat(warnings).isEmpty();
    }

    @Test
    void select_prefersTheExactName_thenAOneLabelWildcard_elseTheDefault() throws Exception {
        write("a-wildcard.pem", TestCertificates.selfSigned(RSA, "*.example.com", "*.example.com")
                .pem(KeyFormat.PKCS8));
        write("b-exact.pem", TestCertificates.selfSigned(EC, "shop.example.com", "shop.example.com")
                .pem(KeyFormat.PKCS8));
        write("c-other.pem", TestCertificates.selfSigned(EC_OTHER, "other.org", "other.org", "www.other.org")
                .pem(KeyFormat.TRADITIONAL));
        CertificateStore store = CertificateStore.load(dir, null, null, warnings::add);

        assertThat(store.certificateFor("shop.example.com").name()).isEqualTo("b-exact.pem");
        assertThat(store.certificateFor("a.example.com").name()).isEqualTo("a-wildcard.pem");
        assertThat(store.certificateFor("A.Example.COM").name()).isEqualTo("a-wildcard.pem");
        assertThat(store.certificateFor("www.other.org.").name()).isEqualTo("c-other.pem");
        // Default (first by name) for what no certificate names: a wildcard covers one label only.
        assertThat(store.certificateFor("a.b.example.com").name()).isEqualTo("a-wildcard.pem");
        assertThat(store.certificateFor("example.com").name()).isEqualTo("a-wildcard.pem");
        assertThat(store.certificateFor("nothing.net").name()).isEqualTo("a-wildcard.pem");
        assertThat(store.certificateFor(null).name()).isEqualTo("a-wildcard.pem");
        assertThat(store.select("a.b.example.com")).isSameAs(store.defaultContext());
        assertThat(store.select("shop.example.com")).isNotSameAs(store.defaultContext());

        Handshakes.Result result = Handshakes.handshake(store.select("shop.example.com"), "shop.example.com");
        assertThat(result.serverCertificate()).isEqualTo(store.certificateFor("shop.example.com").leaf());
    }

    @Test
    void select_aWildcardDoesNotCoverTwoLabels() throws Exception {
        write("a-default.pem", TestCertificates.selfSigned(EC, "default.test", "default.test").pem(KeyFormat.PKCS8));
        write("b-wildcard.pem", TestCertificates.selfSigned(RSA, "*.example.com", "*.example.com")
                .pem(KeyFormat.PKCS8));
        CertificateStore store = CertificateStore.load(dir, null, null, warnings::add);

        assertThat(store.certificateFor("a.example.com").name()).isEqualTo("b-wildcard.pem");
        assertThat(store.certificateFor("a.b.example.com").name()).isEqualTo("a-default.pem");
        assertThat(store.certificateFor("example.com").name()).isEqualTo("a-default.pem");
    }

    @Test
    void preferredCertificate_isTheDefault_andFirst() throws Exception {
        write("a.pem", TestCertificates.selfSigned(EC, "a.test", "a.test").pem(KeyFormat.PKCS8));
        write("b.pem", TestCertificates.selfSigned(EC_OTHER, "b.test", "b.test").pem(KeyFormat.PKCS8));
        write("c.pem", TestCertificates.selfSigned(RSA, "c.test", "c.test").pem(KeyFormat.PKCS8));

        CertificateStore store = CertificateStore.load(dir, null, "nomatch*, c*, b.pem", warnings::add);

        assertThat(store.certificates()).extracting(TlsCertificate::name).containsExactly("c.pem", "b.pem", "a.pem");
        assertThat(store.certificateFor(null).name()).isEqualTo("c.pem");
        assertThat(store.certificateFor("a.test").name()).isEqualTo("a.pem");
        assertThat(Handshakes.handshake(store.defaultContext(), "unknown.test").serverCertificate())
                .isEqualTo(store.certificateFor("c.test").leaf());
        assertThat(warnings).isEmpty();
    }

    @Test
    void preferredCertificate_matchingNothing_isReported() throws Exception {
        write("a.pem", TestCertificates.selfSigned(EC, "a.test", "a.test").pem(KeyFormat.PKCS8));

        CertificateStore store = CertificateStore.load(dir, null, "z*", warnings::add);

        assertThat(store.certificateFor(null).name()).isEqualTo("a.pem");
        assertThat(warnings).singleElement().asString().contains("PREFERRED_CERTIFICATE z* matches no certificate");
    }

    @Test
    void put_writesTheFile_andServesIt_replacingTheSelfSignedOne() throws Exception {
        Path certs = dir.resolve("certs");
        CertificateStore store = CertificateStore.load(certs, null, null, warnings::add);
        List<TlsCertificate> stored = new ArrayList<>();
        store.addListener(stored::add);
        String pem = TestCertificates.selfSigned(RSA, "new.example.com", "new.example.com").pem(KeyFormat.TRADITIONAL);

        TlsCertificate certificate = store.put("new.example.com.pem", pem, warnings::add);

        assertThat(Files.readString(certs.resolve("new.example.com.pem"))).isEqualTo(pem);
        try (Stream<Path> files = Files.list(certs)) {
            assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("new.example.com.pem");
        }
        assertThat(store.certificates()).containsExactly(certificate);
        assertThat(stored).containsExactly(certificate);
        assertThat(Handshakes.handshake(store.select("new.example.com"), "new.example.com").serverCertificate())
                .isEqualTo(certificate.leaf());
        assertThat(store.defaultContext()).isSameAs(store.select("new.example.com"));
        // What put wrote, a restart loads.
        assertThat(CertificateStore.load(certs, null, null, warnings::add).certificates())
                .extracting(TlsCertificate::name).containsExactly("new.example.com.pem");
    }

    @Test
    void put_replacesTheCertificateOfTheSameName() throws Exception {
        write("site.pem", TestCertificates.selfSigned(EC, "old.example.com", "old.example.com").pem(KeyFormat.PKCS8));
        write("other.pem", TestCertificates.selfSigned(EC_OTHER, "other.test", "other.test").pem(KeyFormat.PKCS8));
        CertificateStore store = CertificateStore.load(dir, null, null, warnings::add);
        String pem = TestCertificates.selfSigned(RSA, "new.example.com", "new.example.com").pem(KeyFormat.PKCS8);

        TlsCertificate replacement = store.put("site.pem", pem, warnings::add);

        assertThat(Files.readString(dir.resolve("site.pem"))).isEqualTo(pem);
        assertThat(store.certificates()).extracting(TlsCertificate::name).containsExactly("other.pem", "site.pem");
        assertThat(store.certificateFor("new.example.com")).isEqualTo(replacement);
        assertThat(store.certificateFor("old.example.com").name()).isEqualTo("other.pem");
        assertThat(Handshakes.handshake(store.select("new.example.com"), "new.example.com").serverCertificate())
                .isEqualTo(replacement.leaf());
    }

    @Test
    void put_ofARejectedPem_changesNothing() throws Exception {
        String good = TestCertificates.selfSigned(EC, "a.test", "a.test").pem(KeyFormat.PKCS8);
        write("a.pem", good);
        CertificateStore store = CertificateStore.load(dir, null, null, warnings::add);
        Instant notAfter = Instant.now().minus(Duration.ofDays(1));
        String expired = TestCertificates.issue(null, EC, notAfter.minus(Duration.ofDays(30)), notAfter, false,
                "a.test", "a.test").pem(KeyFormat.PKCS8);

        assertThatThrownBy(() -> store.put("a.pem", expired, warnings::add))
                .isInstanceOf(CertificateException.class).hasMessageContaining("a.pem: the certificate expired on");
        assertThatThrownBy(() -> store.put("b.pem", "garbage", warnings::add))
                .isInstanceOf(CertificateException.class).hasMessageContaining("no certificate in the PEM");

        assertThat(Files.readString(dir.resolve("a.pem"))).isEqualTo(good);
        assertThat(dir.resolve("b.pem")).doesNotExist();
        assertThat(store.certificates()).extracting(TlsCertificate::name).containsExactly("a.pem");
    }

    @Test
    void put_rejectsANameThatIsNotAPlainFileName() {
        CertificateStore store = CertificateStore.load(dir, null, null, warnings::add);
        String pem = TestCertificates.selfSigned(EC, "a.test", "a.test").pem(KeyFormat.PKCS8);

        for (String name : List.of("../a.pem", "a/b.pem", "..", ".hidden.pem", "", "a b.pem")) {
            assertThatThrownBy(() -> store.put(name, pem, warnings::add))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected: a plain file name");
        }
        assertThat(dir.getParent().resolve("a.pem")).doesNotExist();
    }

    @Test
    void put_warnsOfACertificateExpiringSoon() throws Exception {
        CertificateStore store = CertificateStore.load(dir, null, null, warnings::add);
        Instant now = Instant.now();
        String pem = TestCertificates.issue(null, EC, now.minus(Duration.ofDays(80)), now.plus(Duration.ofDays(10)),
                false, "soon.test", "soon.test").pem(KeyFormat.PKCS8);

        store.put("soon.pem", pem, warnings::add);

        assertThat(warnings).singleElement().asString().contains("soon.pem: the certificate expires on");
    }

    @Test
    void provider_isOpenSsl_whereNettyTcnativeLoads_elseTheJdk() {
        String expected = io.netty.handler.ssl.OpenSsl.isAvailable() ? "OpenSSL (BoringSSL)" : "JDK";
        assertThat(CertificateStore.load(dir, null, null, warnings::add).provider()).isEqualTo(expected);
        // on this build's machines (linux-x86_64) the BoringSSL library of netty-tcnative loads
        assertThat(io.netty.handler.ssl.OpenSsl.isAvailable() || !System.getProperty("os.arch").equals("amd64"))
                .as("OpenSSL unavailable: %s", io.netty.handler.ssl.OpenSsl.unavailabilityCause()).isTrue();
    }

    @Test
    void load_withoutAlpn_negotiatesNone() throws Exception {
        write("a.pem", TestCertificates.selfSigned(EC, "a.test", "a.test").pem(KeyFormat.PKCS8));
        CertificateStore store = CertificateStore.load(dir, null, null, List.of(), warnings::add);

        assertThat(Handshakes.handshake(store.defaultContext(), "a.test").applicationProtocol()).isNullOrEmpty();
    }

    private TlsCertificate assertSelfSigned(CertificateStore store) {
        assertThat(store.certificates()).hasSize(1);
        TlsCertificate only = store.certificates().get(0);
        assertThat(only.name()).isEqualTo("self-signed");
        assertThat(only.dnsNames()).containsExactly("localhost");
        assertThat(only.leaf().getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(only.notAfter()).isBetween(Instant.now().plus(Duration.ofDays(364)),
                Instant.now().plus(Duration.ofDays(366)));
        assertThat(store.certificateFor("anything")).isSameAs(only);
        return only;
    }

    private void write(String name, String content) throws Exception {
        Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }
}
