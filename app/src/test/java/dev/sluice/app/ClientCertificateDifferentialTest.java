package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.app.TestPki.Issued;
import dev.sluice.proxy.TestBackend;
import dev.sluice.routing.RoutingCompiler;
import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.ParseResult;
import dev.sluice.tls.CertificateStore;
import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One configuration with client certificates in a real HAProxy and in Sluice: the same TLS
 * clients (no certificate, one the CA signed, one it did not, a TLS 1.2-only one) get the same
 * outcome, a status or a failed handshake.
 */
class ClientCertificateDifferentialTest {

    @TempDir
    Path dir;

    private static final Issued CA = TestPki.ca("TestCA");
    private static final Issued ALICE = TestPki.leaf(CA, "O=Example,CN=alice");
    private static final Issued BOB = TestPki.leaf(CA, "CN=bob");
    private static final Issued MALLORY = TestPki.leaf(TestPki.ca("OtherCA"), "CN=mallory");

    private String config(int optional, int required, int v13, int backend) {
        String crt = "crt " + dir.resolve("shop.pem") + " ca-file " + dir.resolve("ca.pem");
        return "global\n ssl-default-bind-options no-tls-tickets\n"
                + "defaults\n mode http\n timeout connect 2s\n timeout client 5s\n timeout server 5s\n"
                + "frontend optional\n bind 127.0.0.1:" + optional + " ssl " + crt + " verify optional\n"
                + " http-request deny deny_status 401 if !{ ssl_c_used }\n"
                + " http-request deny deny_status 404 unless { ssl_c_verify 0 }\n"
                + " http-request deny deny_status 405 unless { ssl_c_s_dn(CN) alice }\n"
                + " http-request deny deny_status 410 unless { ssl_c_s_dn -m str /O=Example/CN=alice }\n"
                + " http-request deny deny_status 429 unless { ssl_c_i_dn -m str /CN=TestCA }\n"
                + " default_backend app\n"
                + "frontend required\n bind 127.0.0.1:" + required + " ssl " + crt + " verify required\n"
                + " default_backend app\n"
                + "frontend v13\n bind 127.0.0.1:" + v13 + " ssl crt " + dir.resolve("shop.pem")
                + " ssl-min-ver TLSv1.3\n default_backend app\n"
                + "backend app\n server a 127.0.0.1:" + backend + "\n";
    }

    private static List<String> outcomes(int optional, int required, int v13) {
        List<String> out = new ArrayList<>();
        for (Issued client : new Issued[] {null, ALICE, BOB, MALLORY}) {
            out.add("optional " + name(client) + ": " + outcome(optional, client, null));
            out.add("required " + name(client) + ": " + outcome(required, client, null));
        }
        out.add("v13 tls1.2: " + outcome(v13, null, new String[] {"TLSv1.2"}));
        out.add("v13 tls1.3: " + outcome(v13, null, new String[] {"TLSv1.3"}));
        return out;
    }

    private static String name(Issued client) {
        return client == null ? "none" : client.certificate().getSubjectX500Principal().getName();
    }

    private static String outcome(int port, Issued client, String[] protocols) {
        try {
            return Integer.toString(TestPki.get(port, "shop.test", client, "/", protocols, null).status());
        } catch (IOException e) {
            return "handshake failed";
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Test
    void clientCertificates_sameOutcomesAsHaproxy() throws Exception {
        SideBySide.assumeHaproxyInstalled();
        TestPki.leaf(CA, "CN=shop.test").write(dir.resolve("shop.pem"));
        CA.writeCertificate(dir.resolve("ca.pem"));
        try (TestBackend backend = TestBackend.start("app")) {
            int[] h = {SluiceProcess.freePort(), SluiceProcess.freePort(), SluiceProcess.freePort()};
            Path haproxyConfig = Files.writeString(dir.resolve("mtls.cfg"), config(h[0], h[1], h[2], backend.port()));
            List<String> haproxy;
            try (HaproxyProcess p = HaproxyProcess.start(haproxyConfig, List.of(h[0], h[1], h[2]))) {
                haproxy = outcomes(h[0], h[1], h[2]);
            }
            int[] s = {SluiceProcess.freePort(), SluiceProcess.freePort(), SluiceProcess.freePort()};
            ParseResult parsed = ConfigParser.parse(config(s[0], s[1], s[2], backend.port()), "mtls.cfg", dir);
            assertThat(parsed.errors()).isEmpty();
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
            CertificateStore store = CertificateStore.load(dir.resolve("store"), null, null, List.of("http/1.1"),
                    w -> { });
            List<String> sluice;
            try (Sluice running = Sluice.start(RoutingCompiler.compile(parsed.config(), null), quiet, List.of(),
                    new BindTlsSetup(store, List.of("http/1.1"), quiet))) {
                sluice = outcomes(s[0], s[1], s[2]);
            }
            assertThat(sluice).as("Sluice (left) and HAProxy (right)").isEqualTo(haproxy);
            assertThat(haproxy).contains("optional none: 401", "optional CN=alice,O=Example: 200",
                    "optional CN=bob: 405", "required none: handshake failed", "required CN=bob: 200",
                    "v13 tls1.2: handshake failed", "v13 tls1.3: 200");
        }
    }
}
