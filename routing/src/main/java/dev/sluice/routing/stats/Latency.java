package dev.sluice.routing.stats;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.SingleWriterRecorder;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Response times of one backend or server, in microseconds, striped by event loop like
 * {@link Traffic}: each loop records into a {@link SingleWriterRecorder} of its own (wait-free, no
 * contention), created on its first record, and a reader moves what was recorded into a total.
 * A thread that is not an event loop records into a shared, multi-writer {@link Recorder}.
 *
 * <p>Two digits of precision (values within 1%) between 1 µs and 10 minutes (a longer time is
 * counted as 10 minutes), in packed histograms: memory grows with the range of values seen (a
 * few KB for a server's usual spread), not with the range that could be seen.
 */
public final class Latency {

    /** The longest time told apart, in microseconds. */
    static final long HIGHEST_MICROS = 600_000_000L;
    private static final int DIGITS = 2;
    private static final VarHandle RECORDERS = MethodHandles.arrayElementVarHandle(SingleWriterRecorder[].class);
    /** How many times {@link #settle} drains, once this has recorded something. */
    static final int SETTLING_DRAINS = 30;

    private final SingleWriterRecorder[] recorders;
    private final Recorder shared = new Recorder(DIGITS, true);
    /** Everything recorded, up to the last {@link #total()} or {@link #recent()}; guarded by this. */
    private final Histogram total = histogram();
    /** {@link #total} as it was at the last {@link #roll()}; guarded by this. */
    private final Histogram atLastRoll = histogram();
    private final Histogram previousRoll = histogram();
    /** Per recorder, its last interval histogram, handed back to it to be reused; guarded by this. */
    private final Histogram[] recycled;
    private Histogram sharedRecycled;
    /** Drains done by {@link #settle}; guarded by this. */
    private int settled;

    public Latency(int loops) {
        this.recorders = new SingleWriterRecorder[loops];
        this.recycled = new Histogram[loops];
    }

    /** Records one response time; {@code stripe} is the caller's event loop index (else -1). */
    public void record(int stripe, long micros) {
        long v = Math.max(1, Math.min(HIGHEST_MICROS, micros));
        if (stripe < 0 || stripe >= recorders.length) {
            shared.recordValue(v);
            return;
        }
        SingleWriterRecorder r = (SingleWriterRecorder) RECORDERS.getAcquire(recorders, stripe);
        if (r == null) {
            r = new SingleWriterRecorder(DIGITS, true);
            RECORDERS.setRelease(recorders, stripe, r);
        }
        r.recordValue(v);
    }

    /** A copy of everything recorded since start. */
    public synchronized Histogram total() {
        drain();
        return total.copy();
    }

    /**
     * What was recorded since the roll before the last one (between one and two roll periods: the
     * stats sampler rolls every minute), so a page shows recent times, not those of last week.
     */
    public synchronized Histogram recent() {
        drain();
        Histogram h = total.copy();
        h.subtract(previousRoll);
        return h;
    }

    /** Starts a new period for {@link #recent()}. */
    public synchronized void roll() {
        drain();
        previousRoll.reset();
        previousRoll.add(atLastRoll);
        atLastRoll.reset();
        atLastRoll.add(total);
    }

    /**
     * Moves what was recorded into the total, for the first {@value #SETTLING_DRAINS} calls once
     * something was recorded, and does nothing after; the stats sampler calls it every second.
     * What is read is the same either way. Each drain flips the recorders to their other
     * histogram, and the recording code then takes branches it takes at no other time (the
     * phaser's other parity, an empty histogram). Flipped first at the minute's {@link #roll},
     * long after the JIT compiled that code without those branches, the event loop's hottest
     * compiled code (recording is inlined up to its epoll loop) was thrown away and compiled
     * again in the middle of steady traffic (six deoptimizations of the loop 61 s after start,
     * over a hundred compilations in 5 s). Flipped every second from the first seconds of
     * traffic, those branches are part of what the JIT compiles from.
     */
    public synchronized void settle() {
        if (settled >= SETTLING_DRAINS || !recordedAny()) {
            return;
        }
        settled++;
        drain();
    }

    /** How many more drains {@link #settle} will do. */
    synchronized int settlesLeft() {
        return SETTLING_DRAINS - settled;
    }

    /** An event loop has recorded here (its recorder exists). */
    private boolean recordedAny() {
        for (int i = 0; i < recorders.length; i++) {
            if (RECORDERS.getAcquire(recorders, i) != null) {
                return true;
            }
        }
        return false; // the shared recorder is not an event loop's: nothing to settle for it
    }

    private void drain() {
        for (int i = 0; i < recorders.length; i++) {
            SingleWriterRecorder r = (SingleWriterRecorder) RECORDERS.getAcquire(recorders, i);
            if (r != null) {
                recycled[i] = r.getIntervalHistogram(recycled[i]);
                total.add(recycled[i]);
            }
        }
        sharedRecycled = shared.getIntervalHistogram(sharedRecycled);
        total.add(sharedRecycled);
    }

    private static Histogram histogram() {
        return new PackedHistogram(DIGITS);
    }
}
