package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.RepeatedTest;


import java.util.ArrayList;
import java.util.List;

/**
 * A server that dies while Sluice holds pooled connections to it: requests that race the close
 * of those connections are retried on a new one (and elsewhere), none fails and none hangs.
 */
class ServerDeathTest extends DataPlaneTest {

    /** Repeated: the first requests race the close of the pooled connections. */
    @RepeatedTest(3)
    void aDeadServersPooledConnections_areRetriedElsewhere_andNoRequestHangs() throws Exception {
        TestBackend doomed = TestBackend.start("doomed");
        try {
            start(Tables.builder().server(doomed.port()).server(backend.port()).retries(3, true));
            List<RawHttpClient> open = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                RawHttpClient c = new RawHttpClient(port, 3_000);
                open.add(c);
                assertThat(c.get("/warm").status()).isEqualTo(200);
            }
            doomed.close();
            List<String> failed = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                try (RawHttpClient c = i < open.size() ? open.get(i) : new RawHttpClient(port, 3_000)) {
                    RawHttpClient.Response r = c.get("/after/" + i);
                    if (r.status() != 200) {
                        failed.add(i + " " + r.statusLine());
                    }
                } catch (java.io.IOException e) {
                    failed.add(i + " " + e);
                }
            }
            assertThat(failed).isEmpty();
        } finally {
            doomed.close();
        }
    }
}
