package dev.sluice.benchmarks.load;

import org.HdrHistogram.Histogram;

/**
 * What an open-loop run measured. Only requests due inside the measurement window
 * [{@code windowStart}, {@code windowEnd}) are recorded (warm-up requests are sent but not
 * counted); the achieved rate counts responses that arrived inside the window. Single-threaded:
 * every method runs on the client's one event loop, and the owner reads the results only after
 * {@link #stop()} has run there.
 */
final class LatencyRecorder {

    /** Latencies are recorded in µs, from 1 µs to 60 s, with 3 significant digits. */
    static final long HIGHEST_MICROS = 60_000_000L;

    /** From the time each request was due to its response: the latency a user at that rate sees. */
    final Histogram corrected = newHistogram();
    /** From the time each request actually left to its response (what a closed-loop client reports). */
    final Histogram uncorrected = newHistogram();
    /**
     * How late the client itself sent: from the moment a request could go (its due time, or the
     * previous response if that came later) to when it was written. Large values mean the client
     * (or its core) was the bottleneck, not the server.
     */
    final Histogram sendLag = newHistogram();

    private final long start;
    private final long windowStart;
    private final long windowEnd;
    /** The worst corrected latency of the requests due in each second from the start, warm-up included. */
    private final long[] maxPerSecond;
    private boolean stopped;

    long answeredInWindow;
    long non200;
    long badResponses;
    long lostOnClose;
    long unfinished;
    long connectFailures;
    long reconnects;

    /** Requests are due from {@code start}; those due in [windowStart, windowEnd) are measured. */
    LatencyRecorder(long start, long windowStart, long windowEnd) {
        this.start = start;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.maxPerSecond = new long[(int) ((windowEnd - start + 999_999_999) / 1_000_000_000)];
    }

    long windowStart() {
        return windowStart;
    }

    long windowEnd() {
        return windowEnd;
    }

    boolean stopped() {
        return stopped;
    }

    /** Nothing is recorded after this; the counters are final. */
    void stop() {
        stopped = true;
    }

    boolean inWindow(long dueNanos) {
        return dueNanos >= windowStart && dueNanos < windowEnd;
    }

    void sent(long due, long readyAt, long now) {
        if (!stopped && inWindow(due)) {
            sendLag.recordValue(micros(now - Math.max(due, readyAt)));
        }
    }

    void answered(long due, long sentAt, long now, int status) {
        if (stopped) {
            return;
        }
        if (now >= windowStart && now < windowEnd) {
            answeredInWindow++;
        }
        int second = (int) ((due - start) / 1_000_000_000);
        if (due >= start && second < maxPerSecond.length) {
            maxPerSecond[second] = Math.max(maxPerSecond[second], micros(now - due));
        }
        if (!inWindow(due)) {
            return;
        }
        if (status != 200) {
            non200++;
            return;
        }
        corrected.recordValue(micros(now - due));
        uncorrected.recordValue(micros(now - sentAt));
    }

    void badResponse(long due) {
        if (!stopped && inWindow(due)) {
            badResponses++;
        }
    }

    /** The connection closed before the answer to a request due at {@code due} came. */
    void lost(long due) {
        if (!stopped && inWindow(due)) {
            lostOnClose++;
        }
    }

    void connectFailed(long now) {
        if (!stopped && now >= windowStart) {
            connectFailures++;
        }
    }

    void reconnected() {
        if (!stopped) {
            reconnects++;
        }
    }

    /** Requests due in the window with no answer when the run ended (not sent, or sent and not answered). */
    void unfinished(long count) {
        unfinished += count;
    }

    /** The worst latency (µs) of the requests due in each second from the start, warm-up included. */
    long[] maxPerSecond() {
        return maxPerSecond.clone();
    }

    /** How many of {@link #maxPerSecond()}'s seconds are warm-up. */
    int warmupSeconds() {
        return (int) ((windowStart - start) / 1_000_000_000);
    }

    long errors() {
        return non200 + badResponses + lostOnClose + unfinished + connectFailures;
    }

    private static long micros(long nanos) {
        return Math.min(Math.max(nanos / 1000, 0), HIGHEST_MICROS);
    }

    private static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_MICROS, 3);
    }
}
