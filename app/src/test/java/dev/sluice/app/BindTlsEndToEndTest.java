package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.app.TestPki.Issued;
import dev.sluice.app.TestPki.Seen;
import dev.sluice.proxy.TestBackend;
import dev.sluice.routing.RoutingCompiler;
import dev.sluice.routing.config.BindConfig;
import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.FrontendConfig;
import dev.sluice.routing.config.ProxyConfig;
import dev.sluice.routing.config.ParseResult;
import dev.sluice.tls.CertificateStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bind TLS options on real sockets: {@code crt} files and directories chosen by SNI, client
 * certificates ({@code ca-file}, {@code verify}) and the {@code ssl_c_*} fetches, TLS versions,
 * ciphers and {@code strict-sni}; certificates are made by the test.
 */
class BindTlsEndToEndTest {

    @TempDir
    Path dir;

    private TestBackend backend;
    private Sluice sluice;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    private static final Issued CA = TestPki.ca("Test CA");
    private static final Issued OTHER_CA = TestPki.ca("Other CA");
    private static final Issued ALICE = TestPki.leaf(CA, "O=Example,CN=alice");
    private static final Issued MALLORY = TestPki.leaf(OTHER_CA, "CN=mallory");

    @BeforeEach
    void setUp() throws Exception {
        backend = TestBackend.start("app");
        TestPki.leaf(CA, "CN=shop.test").write(dir.resolve("shop.pem"));
        Files.createDirectories(dir.resolve("certs"));
        TestPki.leaf(CA, "CN=a.test").write(dir.resolve("certs").resolve("1-a.pem"));
        TestPki.leaf(CA, "CN=b.test").write(dir.resolve("certs").resolve("2-b.pem"));
        CA.writeCertificate(dir.resolve("ca.pem"));
    }

    @AfterEach
    void tearDown() {
        if (sluice != null) {
            sluice.close();
        }
        backend.close();
    }

    /** Starts {@code frontends} (binds on 127.0.0.1:1) routing to the test backend; files are in {@link #dir}. */
    private void start(String global, String frontends) throws Exception {
        String text = "global\n" + global + "defaults\n mode http\n timeout connect 2s\n timeout client 5s\n"
                + " timeout server 5s\n" + frontends + "backend app\n server a 127.0.0.1:" + backend.port() + "\n";
        ParseResult parsed = ConfigParser.parse(text, "tls.cfg", dir);
        assertThat(parsed.errors()).as("errors in\n%s", text).isEmpty();
        ProxyConfig config = parsed.config();
        for (FrontendConfig f : config.frontends()) { // port 1 in the text: an ephemeral port
            config = config.replaceFrontend(f.withBinds(f.binds().stream()
                    .map(b -> new BindConfig(b.host(), 0, b.ssl(), b.options(), b.tls())).toList()));
        }
        CertificateStore store = CertificateStore.load(dir.resolve("store"), null, null, List.of("http/1.1"), w -> { });
        sluice = Sluice.start(RoutingCompiler.compile(config, null), new PrintStream(log), List.of(),
                new BindTlsSetup(store, List.of("http/1.1"), new PrintStream(log)));
    }

    private int port(String frontend) {
        return sluice.port(frontend);
    }

    @Test
    void crtFile_isServed_crtDirectoryChoosesBySni_andABindWithoutCrtKeepsTheStore() throws Exception {
        start("", "frontend file\n bind 127.0.0.1:1 ssl crt shop.pem\n default_backend app\n"
                + "frontend dir\n bind 127.0.0.1:1 ssl crt certs/\n default_backend app\n"
                + "frontend store\n bind 127.0.0.1:1 ssl\n default_backend app\n");
        Seen file = TestPki.get(port("file"), "other.test", null, "/");
        assertThat(file.subject()).isEqualTo("CN=shop.test");
        assertThat(file.answer()).startsWith("HTTP/1.1 200").contains("server=app");

        assertThat(TestPki.get(port("dir"), "b.test", null, "/").subject()).isEqualTo("CN=b.test");
        assertThat(TestPki.get(port("dir"), "a.test", null, "/").subject()).isEqualTo("CN=a.test");
        assertThat(TestPki.get(port("dir"), null, null, "/").subject()).as("the first file is the default")
                .isEqualTo("CN=a.test");

        assertThat(TestPki.get(port("store"), null, null, "/").subject()).as("CERTS_DIR empty: self-signed")
                .isEqualTo("CN=localhost");
    }

    @Test
    void crtList_choosesByItsSniFilters_andStrictSniRefusesOtherNames() throws Exception {
        Files.writeString(dir.resolve("list.txt"), "# certificates\nshop.pem www.shop.test *.cdn.test\n"
                + "certs/2-b.pem\n");
        start("", "frontend fe\n bind 127.0.0.1:1 ssl crt-list list.txt strict-sni\n default_backend app\n");
        assertThat(TestPki.get(port("fe"), "www.shop.test", null, "/").subject()).isEqualTo("CN=shop.test");
        assertThat(TestPki.get(port("fe"), "img.cdn.test", null, "/").subject()).isEqualTo("CN=shop.test");
        assertThat(TestPki.get(port("fe"), "b.test", null, "/").subject()).isEqualTo("CN=b.test");
        assertThatThrownBy(() -> TestPki.get(port("fe"), "shop.test", null, "/"))
                .as("shop.test is not a filter of the list").isInstanceOf(IOException.class);
        assertThatThrownBy(() -> TestPki.get(port("fe"), null, null, "/")).as("no SNI")
                .isInstanceOf(IOException.class);
    }

    @Test
    void verifyRequired_refusesAClientWithoutCertificateOrWithAnUnknownIssuer_andServesOneTheCaSigned()
            throws Exception {
        start("", "frontend fe\n bind 127.0.0.1:1 ssl crt shop.pem ca-file ca.pem verify required\n"
                + " default_backend app\n");
        assertThatThrownBy(() -> TestPki.get(port("fe"), "shop.test", null, "/")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> TestPki.get(port("fe"), "shop.test", MALLORY, "/")).isInstanceOf(IOException.class);
        assertThat(TestPki.get(port("fe"), "shop.test", ALICE, "/").status()).isEqualTo(200);
    }

    @Test
    void verifyOptional_letsRulesSeeTheClientCertificate() throws Exception {
        start("", "frontend fe\n bind 127.0.0.1:1 ssl crt shop.pem ca-file ca.pem verify optional\n"
                + " http-request deny if !{ ssl_c_used }\n"
                + " http-request deny deny_status 401 unless { ssl_c_verify 0 }\n"
                + " http-request deny deny_status 402 unless { ssl_c_s_dn(CN) alice } { ssl_c_s_dn(O) Example }\n"
                + " http-request deny deny_status 409 unless { ssl_c_s_dn -m beg /O=Example/CN= }"
                + " { ssl_c_i_dn(CN) -m str \"Test CA\" }\n"
                + " default_backend app\n"
                + "frontend plain\n bind 127.0.0.1:1\n http-request deny deny_status 401 unless { ssl_c_verify 0 }\n"
                + " default_backend app\n");
        assertThat(TestPki.get(port("fe"), "shop.test", null, "/").status()).as("no certificate").isEqualTo(403);
        Seen alice = TestPki.get(port("fe"), "shop.test", ALICE, "/");
        assertThat(alice.status()).as(alice.answer()).isEqualTo(200);
        assertThat(alice.answer()).contains("server=app");
        assertThatThrownBy(() -> TestPki.get(port("fe"), "shop.test", MALLORY, "/"))
                .as("a certificate that does not verify fails the handshake, as in HAProxy without ca-ignore-err")
                .isInstanceOf(IOException.class);
        assertThat(Http.get(port("plain"), "/").status()).as("ssl_c_verify has no value without TLS")
                .isEqualTo(401);
    }

    @Test
    void sslMinVer13_refusesATls12Client_andCiphersRestrictTls12() throws Exception {
        start("", "frontend v13\n bind 127.0.0.1:1 ssl crt shop.pem ssl-min-ver TLSv1.3\n default_backend app\n"
                + "frontend ciphers\n bind 127.0.0.1:1 ssl crt shop.pem ssl-max-ver TLSv1.2"
                + " ciphers ECDHE-ECDSA-AES256-GCM-SHA384\n default_backend app\n");
        String[] tls12 = {"TLSv1.2"};
        assertThatThrownBy(() -> TestPki.get(port("v13"), "shop.test", null, "/", tls12, null))
                .isInstanceOf(IOException.class);
        Seen v13 = TestPki.get(port("v13"), "shop.test", null, "/");
        assertThat(v13.protocol()).isEqualTo("TLSv1.3");
        assertThat(v13.status()).isEqualTo(200);

        assertThat(TestPki.get(port("ciphers"), "shop.test", null, "/").protocol()).isEqualTo("TLSv1.2");
        assertThatThrownBy(() -> TestPki.get(port("ciphers"), "shop.test", null, "/", tls12,
                new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"})).isInstanceOf(IOException.class);
        assertThat(TestPki.get(port("ciphers"), "shop.test", null, "/", tls12,
                new String[] {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"}).status()).isEqualTo(200);
    }

    @Test
    void sslDefaultBindOptions_applyToEveryBind_andABindOverridesThem() throws Exception {
        start(" ssl-default-bind-options ssl-min-ver TLSv1.3\n",
                "frontend strict\n bind 127.0.0.1:1 ssl crt shop.pem\n default_backend app\n"
                + "frontend relaxed\n bind 127.0.0.1:1 ssl crt shop.pem ssl-min-ver TLSv1.2\n default_backend app\n");
        String[] tls12 = {"TLSv1.2"};
        assertThatThrownBy(() -> TestPki.get(port("strict"), "shop.test", null, "/", tls12, null))
                .isInstanceOf(IOException.class);
        assertThat(TestPki.get(port("relaxed"), "shop.test", null, "/", tls12, null).status()).isEqualTo(200);
    }

    @Test
    void aCertificateFileThatIsNotAPem_stopsTheStart_namingTheFile() throws Exception {
        Files.writeString(dir.resolve("broken.pem"), "not a certificate");
        assertThatThrownBy(() -> start("", "frontend fe\n bind 127.0.0.1:1 ssl crt broken.pem\n default_backend app\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(dir.resolve("broken.pem").toString());
        Files.writeString(dir.resolve("ca-broken.pem"), "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> start("", "frontend fe\n bind 127.0.0.1:1 ssl crt shop.pem ca-file ca-broken.pem"
                + " verify required\n default_backend app\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ca-file " + dir.resolve("ca-broken.pem"));
    }
}
