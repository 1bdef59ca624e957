package dev.sluice.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.proxy.TestBackend;
import dev.sluice.proxy.TestPki;
import dev.sluice.routing.Server;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks of {@code ssl} servers go over TLS, with the verification of the traffic (HAProxy's rules). */
class TlsChecksTest {

    private static final Duration BOUND = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void httpCheckOverTls_marksTheTlsBackendUp_andAPlainOneDown() throws Exception {
        TestPki.Issued ca = TestPki.ca("Check CA");
        Path caFile = ca.writeCertificate(dir.resolve("ca.pem"));
        try (TestBackend tls = TestBackend.startTls("tls", TestPki.issue(ca, "app.test").serverContext());
             TestBackend plain = TestBackend.start("plain");
             Harness h = new Harness(Harness.config(" option httpchk GET /check\n"
                     + " server tls-a 127.0.0.1:" + tls.port() + " ssl ca-file " + caFile + " check inter 100 fall 1 rise 1\n"
                     + " server plain-b 127.0.0.1:" + plain.port() + " ssl verify none check inter 100 fall 1 rise 1\n"))) {
            Server a = h.server("tls-a");
            Server b = h.server("plain-b");
            await().atMost(BOUND).until(() -> "Layer7 check passed: 200 OK".equals(a.state().lastCheck()));
            await().atMost(BOUND).until(() -> !b.state().isUp());
            assertThat(a.state().isUp()).isTrue();
            assertThat(b.state().lastCheck()).startsWith("Layer6 SSL handshake failure");
            assertThat(h.get("/x").body()).startsWith("server=tls\n");
        }
    }

    @Test
    void connectCheckOverTls_failsOnAnUntrustedCertificate_andNoCheckSslOrAnotherPortChecksPlain() throws Exception {
        TestPki.Issued ca = TestPki.ca("Check CA");
        Path caFile = ca.writeCertificate(dir.resolve("ca.pem"));
        try (TestBackend good = TestBackend.startTls("good", TestPki.issue(ca, "app.test").serverContext());
             TestBackend bad = TestBackend.startTls("bad", TestPki.issue(null, "app.test").serverContext());
             TestBackend plain = TestBackend.start("plain");
             Harness h = new Harness(Harness.config(
                     " server good 127.0.0.1:" + good.port() + " ssl ca-file " + caFile + " check inter 100 fall 1 rise 1\n"
                     + " server bad 127.0.0.1:" + bad.port() + " ssl ca-file " + caFile + " check inter 100 fall 1 rise 1\n"
                     + " server named 127.0.0.1:" + good.port() + " ssl ca-file " + caFile
                     + " verifyhost other.test check inter 100 fall 1 rise 1\n"
                     + " server elsewhere 127.0.0.1:" + good.port() + " ssl ca-file " + caFile
                     + " check port " + plain.port() + " inter 100 fall 1 rise 1\n"
                     + " server forced 127.0.0.1:" + plain.port() + " check check-ssl verify none inter 100 fall 1 rise 1\n"))) {
            await().atMost(BOUND).until(() -> "Layer6 check passed".equals(h.server("good").state().lastCheck()));
            await().atMost(BOUND).until(() -> !h.server("bad").state().isUp());
            await().atMost(BOUND).until(() -> !h.server("named").state().isUp());
            await().atMost(BOUND).until(() -> !h.server("forced").state().isUp());
            await().atMost(BOUND).until(() -> "Layer4 check passed".equals(h.server("elsewhere").state().lastCheck()));
            assertThat(h.server("named").state().lastCheck()).contains("does not match the name 'other.test'");
            assertThat(h.server("good").state().isUp()).isTrue();
            assertThat(h.server("elsewhere").state().isUp()).isTrue();
        }
    }
}
