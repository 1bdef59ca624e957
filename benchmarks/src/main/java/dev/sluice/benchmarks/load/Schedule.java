package dev.sluice.benchmarks.load;

/**
 * When each request of an open-loop run is due. Requests are numbered 0, 1, 2, ... over all
 * connections (request k goes to connection k mod connections). The rate rises linearly from 0 to
 * {@code rate} over {@code rampNanos}, then stays: a client that starts at full rate with cold code
 * (interpreted, then compiled while it runs, on the one core it shares with the backend) falls
 * behind at once, and the backlog can outlast a short warm-up.
 *
 * @param start     nanoTime at which request 0 is due
 * @param rate      requests per second after the ramp
 * @param rampNanos length of the ramp; 0 for none
 */
record Schedule(long start, double rate, long rampNanos) {

    Schedule {
        if (!(rate > 0)) {
            throw new IllegalArgumentException("rate: " + rate + " (expected: > 0)");
        }
        if (rampNanos < 0) {
            throw new IllegalArgumentException("rampNanos: " + rampNanos + " (expected: >= 0)");
        }
    }

    /** nanoTime at which request k is due. */
    long due(long k) {
        double perNano = rate / 1e9;
        // During the ramp r(t) = rate * t / ramp, so k(t) = rate * t^2 / (2 ramp): t = sqrt(2 ramp k / rate).
        if (k < perNano * rampNanos / 2) {
            return start + (long) Math.sqrt(2.0 * rampNanos * k / perNano);
        }
        // After it, rate * ramp / 2 requests are behind and the rest come at the full rate.
        return start + (long) (k / perNano + rampNanos / 2.0);
    }
}
