package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.app.SluiceProcess.Answer;
import dev.sluice.proxy.RawHttpClient;
import dev.sluice.proxy.TestBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * SIGTERM, as {@code docker stop} and a rolling update of the service send it, lets the request
 * in flight finish (with {@code Connection: close}) before the process exits, instead of cutting
 * it off; {@code STOP_GRACE_PERIOD} bounds the wait.
 */
class GracefulStopAcceptanceTest {

    @RegisterExtension
    final SluiceProcesses sluices = new SluiceProcesses();

    @TempDir
    Path stateDir;

    @Test
    void sigterm_theRequestInFlightIsAnswered_thenTheProcessExits() throws Exception {
        try (TestBackend backend = TestBackend.start("app")) {
            SluiceProcess sluice = sluices.start("graceful-stop", Map.of("STOP_GRACE_PERIOD", "20"), stateDir);
            Answer routed = sluice.get("/v1/docker-flow-proxy/reconfigure?serviceName=app&servicePath=/slow&port="
                    + backend.port() + "&outboundHostname=127.0.0.1");
            assertThat(routed.status()).as("%s", routed).isEqualTo(200);
            try (RawHttpClient client = new RawHttpClient(sluice.proxyPort(), 15_000)) {
                client.send("GET /slow?ms=2000 HTTP/1.1\r\nHost: x\r\n\r\n");
                Thread.sleep(500); // the request has reached the server
                long t0 = System.nanoTime();
                sluice.stop(); // SIGTERM; returns once the process has exited
                long stoppedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                RawHttpClient.Response answer = client.read();
                assertThat(answer.status()).as(sluice.output()).isEqualTo(200);
                assertThat(answer.bodyText()).contains("slow=2000");
                assertThat(answer.header("connection")).isEqualToIgnoringCase("close");
                assertThat(sluice.isAlive()).isFalse();
                // it waited for the request (about 1.5 s more), not for the grace period (20 s)
                assertThat(stoppedMs).isGreaterThanOrEqualTo(1000).isLessThan(10_000);
            }
        }
    }
}
