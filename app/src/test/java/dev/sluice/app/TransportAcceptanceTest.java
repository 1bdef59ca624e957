package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.app.SluiceProcess.Answer;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

/** {@code TRANSPORT=io_uring}, as a user starts it: the start line names it and services are served. */
class TransportAcceptanceTest {

    @RegisterExtension
    final SluiceProcesses sluices = new SluiceProcesses();

    @TempDir
    Path stateDir;

    @Test
    void onIoUring_theStartLineSaysSo_andAReconfiguredServiceIsServed() throws Exception {
        assumeTrue(IoUring.isAvailable(), "io_uring is not available on this machine");
        try (Origins origins = new Origins()) {
            SluiceProcess sluice = sluices.start("transport-io-uring", Map.of("TRANSPORT", "io_uring"), stateDir);
            assertThat(sluice.output()).contains("; io_uring transport;").doesNotContain("warning");
            for (String name : new String[] {"web", "api"}) {
                Answer a = sluice.get("/v1/docker-flow-proxy/reconfigure?serviceName=" + name + "&servicePath=/" + name
                        + "&port=" + origins.get(name).port() + "&outboundHostname=127.0.0.1");
                assertThat(a.status()).as("reconfigure %s: %s", name, a).isEqualTo(200);
            }
            for (int i = 0; i < 3; i++) {
                assertThat(Http.servedBy(sluice.proxyPort(), "/web/" + i)).isEqualTo("web");
                assertThat(Http.servedBy(sluice.proxyPort(), "/api/" + i)).isEqualTo("api");
            }
            assertThat(Http.servedBy(sluice.proxyPort(), "/nothing-here")).isEqualTo("status 503");
        }
    }
}
