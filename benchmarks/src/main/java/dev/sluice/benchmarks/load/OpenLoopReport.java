package dev.sluice.benchmarks.load;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** The text {@link OpenLoop} prints: a readable report and one {@code OPENLOOP key=value} line. */
final class OpenLoopReport {

    /**
     * The achieved rate may be this far from the requested one before the row is invalid: below,
     * the server did not keep up; above, the window began with a backlog left from the warm-up.
     */
    static final double RATE_TOLERANCE = 0.01;

    private final OpenLoopOptions options;
    private final LatencyRecorder recorder;
    private final String transport;

    OpenLoopReport(OpenLoopOptions options, LatencyRecorder recorder, String transport) {
        this.options = options;
        this.recorder = recorder;
        this.transport = transport;
    }

    /** Answers that arrived inside the measurement window, per second of it. */
    double achievedRate() {
        return recorder.answeredInWindow / (options.durationNanos() / 1e9);
    }

    /** At the requested rate (within 1 %) and with at least one latency recorded. */
    boolean valid() {
        return Math.abs(achievedRate() - options.rate()) <= options.rate() * RATE_TOLERANCE
                && recorder.corrected.getTotalCount() > 0;
    }

    String invalidReason() {
        if (recorder.corrected.getTotalCount() == 0) {
            return "OpenLoop: INVALID: no successful answer in the measurement window";
        }
        if (achievedRate() > options.rate()) {
            return String.format(Locale.ROOT, "OpenLoop: INVALID: achieved %.0f req/s, more than %.0f %% above the"
                    + " requested %.0f req/s: the measured window began behind schedule, with requests queued"
                    + " during the warm-up (see the worst latency per second); lengthen --warmup.",
                    achievedRate(), RATE_TOLERANCE * 100, options.rate());
        }
        return String.format(Locale.ROOT, "OpenLoop: INVALID: achieved %.0f req/s, more than %.0f %% below the"
                + " requested %.0f req/s. The server (or this client: see its send lag) could not keep up,"
                + " so these latencies are not latencies at the requested rate.",
                achievedRate(), RATE_TOLERANCE * 100, options.rate());
    }

    String text() {
        Histogram c = recorder.corrected;
        Histogram u = recorder.uncorrected;
        Histogram lag = recorder.sendLag;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "OpenLoop http://%s:%d%s: %d connections, %.0f req/s, %.1f s measured"
                        + " after %.1f s warm-up (%s, one event loop)%n",
                options.host(), options.port(), options.path(), options.connections(), options.rate(),
                options.durationNanos() / 1e9, options.warmupNanos() / 1e9, transport));
        s.append(String.format(Locale.ROOT, "requested %.0f req/s, achieved %.0f req/s (%.2f %%)%s%n",
                options.rate(), achievedRate(), 100 * achievedRate() / options.rate(),
                valid() ? "" : "  <-- INVALID"));
        s.append(String.format(Locale.ROOT, "%d answers recorded, %d errors: %d non-200, %d unparseable,"
                        + " %d lost with a closed connection, %d unanswered at the end, %d failed connects;"
                        + " %d reconnects%n",
                c.getTotalCount(), recorder.errors(), recorder.non200, recorder.badResponses,
                recorder.lostOnClose, recorder.unfinished, recorder.connectFailures, recorder.reconnects));
        s.append("latency from the intended send time (corrected), ms:\n");
        s.append(String.format(Locale.ROOT, "  p50 %s  p90 %s  p99 %s  p99.9 %s  p99.99 %s  max %s%n",
                ms(c, 50), ms(c, 90), ms(c, 99), ms(c, 99.9), ms(c, 99.99), ms(c.getMaxValue())));
        s.append("latency from the actual send time (uncorrected, what a closed-loop client would report), ms:\n");
        s.append(String.format(Locale.ROOT, "  p50 %s  p90 %s  p99 %s  p99.9 %s  max %s%n",
                ms(u, 50), ms(u, 90), ms(u, 99), ms(u, 99.9), ms(u.getMaxValue())));
        s.append("client send lag (request ready to written: the client's own delay), ms:\n");
        s.append(String.format(Locale.ROOT, "  p50 %s  p99 %s  p99.9 %s  max %s%n",
                ms(lag, 50), ms(lag, 99), ms(lag, 99.9), ms(lag.getMaxValue())));
        s.append("worst latency of the requests due in each second, ms (warm-up | measured):\n ");
        long[] worst = recorder.maxPerSecond();
        for (int i = 0; i < worst.length; i++) {
            s.append(i == recorder.warmupSeconds() ? " |" : "").append(' ').append(shortMs(worst[i]));
        }
        return s.append('\n').toString();
    }

    String summaryLine() {
        Histogram c = recorder.corrected;
        return String.format(Locale.ROOT, "OPENLOOP rate=%.0f achieved=%.0f count=%d errors=%d p50=%s p90=%s"
                        + " p99=%s p999=%s p9999=%s max=%s uncorrected_p99=%s lag_p99=%s lag_max=%s valid=%s",
                options.rate(), achievedRate(), c.getTotalCount(), recorder.errors(), ms(c, 50), ms(c, 90),
                ms(c, 99), ms(c, 99.9), ms(c, 99.99), ms(c.getMaxValue()), ms(recorder.uncorrected, 99),
                ms(recorder.sendLag, 99), ms(recorder.sendLag.getMaxValue()), valid() ? "yes" : "no");
    }

    /**
     * HdrHistogram's percentile distribution of the corrected latency, in ms: the format its
     * plotter reads, so nothing else goes in it.
     */
    String distribution() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.US_ASCII);
        recorder.corrected.outputPercentileDistribution(out, 5, 1000.0);
        return bytes.toString(StandardCharsets.US_ASCII);
    }

    private static String ms(Histogram h, double percentile) {
        return ms(h.getValueAtPercentile(percentile));
    }

    /** Three significant digits or so: 0.512, 12.3, 285. */
    private static String shortMs(long micros) {
        double ms = micros / 1000.0;
        return String.format(Locale.ROOT, ms < 10 ? "%.2f" : ms < 100 ? "%.1f" : "%.0f", ms);
    }

    private static String ms(long micros) {
        return String.format(Locale.ROOT, "%.3f", micros / 1000.0);
    }
}
