package dev.sluice.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.Test;

class OpenLoopTest {

    private static final long MS = 1_000_000;

    @Test
    void steadyServer_everyRequestDueInTheWindowIsAnsweredAtTheRate() throws Exception {
        try (TestServer server = new TestServer(0, 0, 0)) {
            OpenLoopOptions options = options(server, 2000, 10, "300ms", "1s");

            LatencyRecorder recorder = OpenLoop.run(options, Epoll.isAvailable());

            // 2000 due per second, each connection's count in the window off by at most one.
            OpenLoopReport report = new OpenLoopReport(options, recorder, "test");
            assertThat(recorder.corrected.getTotalCount()).as(report.text()).isBetween(1990L, 2010L);
            assertThat(recorder.errors()).as(report.text()).isZero();
            // Answers are counted by arrival: a client stalled by a busy test machine near the end
            // of this short window may miss 1 %; the exact rule is tested in OpenLoopReportTest.
            assertThat(report.achievedRate()).as(report.text()).isCloseTo(2000, withinPercentage(10));
            assertThat(report.summaryLine())
                    .startsWith("OPENLOOP rate=2000 achieved=")
                    .contains(" errors=0 ", " count=" + recorder.corrected.getTotalCount() + " ");
        }
    }

    @Test
    void serverStall_countsForEveryRequestItHeldBack() throws Exception {
        // Every answer held back for 300 ms, 1 s into the run: at 1000 req/s, about 300 requests
        // are due during the stall and all of them wait for its end.
        try (TestServer server = new TestServer(1000 * MS, 300 * MS, 0)) {
            OpenLoopOptions options = options(server, 1000, 10, "200ms", "2s");

            LatencyRecorder recorder = OpenLoop.run(options, Epoll.isAvailable());

            assertThat(recorder.errors()).isZero();
            // Due in the first 200 ms of the stall: at least 100 ms late.
            assertThat(recorder.corrected.getCountBetweenValues(100_000, LatencyRecorder.HIGHEST_MICROS))
                    .isGreaterThanOrEqualTo(150);
            assertThat(recorder.corrected.getMaxValue()).isGreaterThanOrEqualTo(250_000);
            // From the actual send, only the one request in flight per connection saw the stall;
            // the others went out once it was over and were answered at once.
            assertThat(recorder.uncorrected.getCountBetweenValues(100_000, LatencyRecorder.HIGHEST_MICROS))
                    .isLessThanOrEqualTo(10);
        }
    }

    @Test
    void connectionClosedInsteadOfAnswer_isOneErrorAndTheScheduleGoesOn() throws Exception {
        try (TestServer server = new TestServer(0, 0, 100)) {
            OpenLoopOptions options = options(server, 1000, 10, "0s", "500ms");

            LatencyRecorder recorder = OpenLoop.run(options, Epoll.isAvailable());

            assertThat(recorder.lostOnClose).isEqualTo(1);
            assertThat(recorder.reconnects).isEqualTo(1);
            assertThat(recorder.errors()).isEqualTo(1);
            assertThat(recorder.corrected.getTotalCount()).isBetween(489L, 509L);
        }
    }

    @Test
    void noServer_failsToConnectAndSaysWhere() throws Exception {
        int port;
        try (TestServer server = new TestServer(0, 0, 0)) {
            port = server.port();
        }
        OpenLoopOptions options = OpenLoopOptions.parse("--url", "http://127.0.0.1:" + port + "/", "--rate", "10",
                "--connections", "1", "--duration", "1s", "--warmup", "0s");

        assertThatThrownBy(() -> OpenLoop.run(options, Epoll.isAvailable()))
                .isInstanceOf(OpenLoop.ConnectFailure.class)
                .hasMessageContaining("could not connect to 127.0.0.1:" + port);
    }

    @Test
    void badOptions_sayWhatWasExpected() {
        assertThatThrownBy(() -> OpenLoopOptions.parse("--url", "https://x/", "--rate", "10"))
                .hasMessageContaining("expected: http://HOST:PORT/PATH");
        assertThatThrownBy(() -> OpenLoopOptions.parse("--url", "http://127.0.0.1:1/", "--rate", "0"))
                .hasMessageContaining("--rate: 0.0 (expected: requests per second > 0)");
        assertThatThrownBy(() -> OpenLoopOptions.parse("--url", "http://127.0.0.1:1/", "--rate", "5",
                "--duration", "ten"))
                .hasMessageContaining("--duration: ten (expected a duration such as 20s, 500ms, 2m)");
        assertThatThrownBy(() -> OpenLoopOptions.parse("--url", "http://127.0.0.1:1/", "--rate", "5", "--rps", "5"))
                .hasMessageContaining("unknown option(s) [--rps]");
        assertThat(OpenLoopOptions.parse("--url", "http://127.0.0.1:8080/empty?a=1", "--rate", "5").request())
                .isEqualTo("GET /empty?a=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n");
    }

    private static OpenLoopOptions options(TestServer server, int rate, int connections, String warmup,
            String duration) {
        return OpenLoopOptions.parse("--url", "http://127.0.0.1:" + server.port() + "/empty",
                "--rate", Integer.toString(rate), "--connections", Integer.toString(connections),
                "--warmup", warmup, "--duration", duration, "--timeout", "2s");
    }
}
