package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.app.SluiceProcess.Answer;
import dev.sluice.app.TestPki.Issued;
import dev.sluice.proxy.TestBackend;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docker Flow Proxy's TLS variables on a real process: CA_FILE asks clients of the DEFAULT_PORTS
 * ssl binds for a certificate, {@code verifyClientSsl=true} denies a service's requests without
 * one, SSL_BIND_OPTIONS and SSL_BIND_CIPHERS apply to every ssl bind, and a bad value stops the start.
 */
class ClientCertificateAcceptanceTest {

    @RegisterExtension
    final SluiceProcesses sluices = new SluiceProcesses();

    @TempDir
    Path stateDir;

    @TempDir
    Path dir;

    private static final Issued CA = TestPki.ca("Client CA");
    private static final Issued ALICE = TestPki.leaf(CA, "CN=alice");

    @Test
    void caFileAndVerifyClientSsl_denyRequestsWithoutAClientCertificate() throws Exception {
        Path ca = CA.writeCertificate(dir.resolve("ca.pem"));
        try (TestBackend backend = TestBackend.start("app")) {
            int plain = SluiceProcess.freePort();
            int tls = SluiceProcess.freePort();
            SluiceProcess sluice = sluices.start("mtls", Map.of("DEFAULT_PORTS", plain + "," + tls + ":ssl",
                    "CERTS_DIR", dir.resolve("certs").toString(), "CA_FILE", ca.toString()), stateDir);
            String service = "&port=" + backend.port() + "&outboundHostname=127.0.0.1";
            Answer secured = sluice.get("/v1/docker-flow-proxy/reconfigure?serviceName=secure&servicePath=/secure"
                    + service + "&verifyClientSsl=true");
            assertThat(secured.status()).as("%s", secured).isEqualTo(200);
            Answer open = sluice.get("/v1/docker-flow-proxy/reconfigure?serviceName=open&servicePath=/open" + service);
            assertThat(open.status()).as("%s", open).isEqualTo(200);

            assertThat(TestPki.get(tls, "shop.test", null, "/secure/x").status()).isEqualTo(403);
            assertThat(Http.get(plain, "/secure/x").status()).as("plain HTTP has no certificate").isEqualTo(403);
            TestPki.Seen alice = TestPki.get(tls, "shop.test", ALICE, "/secure/x");
            assertThat(alice.status()).as(alice.answer()).isEqualTo(200);
            assertThat(alice.answer()).contains("server=app", "uri=/secure/x");
            assertThat(TestPki.get(tls, "shop.test", null, "/open/x").status()).as("verify optional")
                    .isEqualTo(200);
            // a certificate PUT later is served on the CA_FILE bind too, which still asks for client certificates
            java.net.http.HttpResponse<String> put = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + sluice.adminPort()
                            + "/v1/docker-flow-proxy/cert?certName=shop.pem"))
                            .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
                                    TestPki.leaf(CA, "CN=shop.test").pem())).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            TestPki.Seen shop = TestPki.get(tls, "shop.test", ALICE, "/secure/y");
            assertThat(shop.subject()).isEqualTo("CN=shop.test");
            assertThat(shop.status()).isEqualTo(200);
            assertThat(TestPki.get(tls, "shop.test", null, "/secure/y").status()).isEqualTo(403);
            assertThat(sluice.get("/v1/docker-flow-proxy/config").body())
                    .contains("ssl ca-file " + ca + " verify optional", "acl valid_client_cert_secure")
                    .contains("unless valid_client_cert_secure");
        }
    }

    @Test
    void sslBindOptionsAndCiphers_applyToTheSslBinds() throws Exception {
        try (TestBackend backend = TestBackend.start("app")) {
            int strict = SluiceProcess.freePort();
            SluiceProcess sluice = sluices.start("ssl-options", Map.of("DEFAULT_PORTS", strict + ":ssl",
                    "CERTS_DIR", dir.resolve("certs").toString(), "SSL_BIND_OPTIONS", "no-sslv3 ssl-min-ver TLSv1.3"),
                    stateDir);
            Answer routed = sluice.get("/v1/docker-flow-proxy/reconfigure?serviceName=app&servicePath=/&port="
                    + backend.port() + "&outboundHostname=127.0.0.1");
            assertThat(routed.status()).as("%s", routed).isEqualTo(200);
            assertThatThrownBy(() -> TestPki.get(strict, "shop.test", null, "/", new String[] {"TLSv1.2"}, null))
                    .isInstanceOf(IOException.class);
            TestPki.Seen v13 = TestPki.get(strict, "shop.test", null, "/");
            assertThat(v13.protocol()).isEqualTo("TLSv1.3");
            assertThat(v13.status()).isEqualTo(200);
        }
    }

    @Test
    void renderShowsTheVariables_andBadValuesStopTheStartNamingTheVariable() {
        Outcome render = run("render", Map.of("CA_FILE", CA_PATH_PLACEHOLDER, "SSL_BIND_OPTIONS", "no-tls-tickets",
                "SSL_BIND_CIPHERS", "ECDHE+AESGCM"));
        assertThat(render.code()).as(render.err()).isZero();
        assertThat(render.out()).contains("ssl-default-bind-options no-tls-tickets",
                "ssl-default-bind-ciphers ECDHE+AESGCM", "bind *:443 ssl ca-file " + CA_PATH_PLACEHOLDER
                        + " verify optional");

        Outcome missing = run("render", Map.of("CA_FILE", "/nonexistent/ca.pem"));
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("CA_FILE", "/nonexistent/ca.pem", "no such file");

        Outcome badOption = run("render", Map.of("SSL_BIND_OPTIONS", "verify required"));
        assertThat(badOption.code()).isEqualTo(1);
        assertThat(badOption.err()).contains("SSL_BIND_OPTIONS:1:", "unknown option 'verify'");

        Outcome tooOld = run("render", Map.of("SSL_BIND_OPTIONS", "ssl-max-ver TLSv1.1"));
        assertThat(tooOld.code()).isEqualTo(1);
        assertThat(tooOld.err()).contains("SSL_BIND_OPTIONS:1:", "no TLS version is left");
    }

    private static final String CA_PATH_PLACEHOLDER = caFile();

    private static String caFile() {
        try {
            Path file = java.nio.file.Files.createTempFile("sluice-ca", ".pem");
            file.toFile().deleteOnExit();
            return CA.writeCertificate(file).toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome run(String command, Map<String, String> env) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {command}, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
