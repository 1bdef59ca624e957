package dev.sluice.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OpenLoopReportTest {

    private static final long MS = 1_000_000;
    private static final long START = 1_000 * MS;
    private static final long END = START + 1_000 * MS;

    private final OpenLoopOptions options = OpenLoopOptions.parse("--url", "http://127.0.0.1:1/empty",
            "--rate", "2000", "--connections", "10", "--duration", "1s", "--warmup", "0s");

    @Test
    void achievedRateWithinOnePercent_isValid() {
        LatencyRecorder recorder = answered(1980, 2 * MS);

        OpenLoopReport report = new OpenLoopReport(options, recorder, "test");

        assertThat(report.valid()).isTrue();
        assertThat(report.summaryLine()).isEqualTo("OPENLOOP rate=2000 achieved=1980 count=1980 errors=0"
                + " p50=2.000 p90=2.000 p99=2.000 p999=2.000 p9999=2.000 max=2.000 uncorrected_p99=1.000"
                + " lag_p99=0.000 lag_max=0.000 valid=yes");
    }

    @Test
    void achievedRateMoreThanOnePercentBelow_isInvalidAndSaysSo() {
        LatencyRecorder recorder = answered(1979, 2 * MS);

        OpenLoopReport report = new OpenLoopReport(options, recorder, "test");

        assertThat(report.valid()).isFalse();
        assertThat(report.summaryLine()).contains("achieved=1979 ").endsWith(" valid=no");
        assertThat(report.text()).contains("achieved 1979 req/s (98.95 %)  <-- INVALID");
        assertThat(report.invalidReason()).contains("INVALID: achieved 1979 req/s, more than 1 % below the"
                + " requested 2000 req/s");
    }

    @Test
    void achievedRateMoreThanOnePercentAbove_isInvalid_theWarmUpLeftABacklog() {
        LatencyRecorder recorder = answered(2021, 2 * MS);

        OpenLoopReport report = new OpenLoopReport(options, recorder, "test");

        assertThat(report.valid()).isFalse();
        assertThat(report.invalidReason()).contains("more than 1 % above the requested 2000 req/s",
                "lengthen --warmup");
    }

    @Test
    void worstLatencyPerSecond_coversTheWarmUpAndTheWindow() {
        LatencyRecorder recorder = new LatencyRecorder(START - 2_000 * MS, START, END);
        recorder.answered(START - 1_500 * MS, 0, START - 1_200 * MS, 200); // warm-up, second 0: 300 ms
        recorder.answered(START + 500 * MS, 0, START + 502 * MS, 200);     // window, second 2: 2 ms

        OpenLoopReport report = new OpenLoopReport(options, recorder, "test");

        assertThat(report.text()).contains("(warm-up | measured):\n  300 0.00 | 2.00\n");
    }

    @Test
    void onlyRequestsDueInTheWindowAreRecorded_andAnswersCountByArrival() {
        LatencyRecorder recorder = new LatencyRecorder(START - 1_000 * MS, START, END);

        recorder.answered(START - MS, START - MS, START + 5 * MS, 200);   // warm-up request, answered in the window
        recorder.answered(START, START, START + 7 * MS, 200);
        recorder.answered(END - MS, END - MS, END + 3 * MS, 200);         // due in the window, answered after it
        recorder.answered(START + MS, START + MS, START + 2 * MS, 503);

        assertThat(recorder.corrected.getTotalCount()).isEqualTo(2);
        assertThat(recorder.corrected.getCountBetweenValues(6_990, 7_010)).isEqualTo(1);
        assertThat(recorder.corrected.getCountBetweenValues(3_990, 4_010)).isEqualTo(1);
        assertThat(recorder.answeredInWindow).isEqualTo(3);
        assertThat(recorder.non200).isEqualTo(1);
        assertThat(recorder.errors()).isEqualTo(1);
    }

    /** n answers due evenly in the window, each sent 1 ms late and answered 1 ms after that. */
    private static LatencyRecorder answered(int n, long latency) {
        LatencyRecorder recorder = new LatencyRecorder(START, START, END);
        long step = (END - START - 10 * MS) / n;
        for (int i = 0; i < n; i++) {
            long due = START + i * step;
            recorder.answered(due, due + latency / 2, due + latency, 200);
        }
        return recorder;
    }
}
