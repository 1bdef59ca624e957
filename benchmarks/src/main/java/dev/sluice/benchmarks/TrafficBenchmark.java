package dev.sluice.benchmarks;

import dev.sluice.routing.stats.Traffic;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the statistics cost a request: the counters one proxied request writes (requests,
 * response class, bytes in and out on the frontend, backend and server: about a dozen adds) and
 * one response time into each of two histograms, with two threads writing like two event loops.
 * {@code sharedAtomic} is the same dozen adds on one shared AtomicLong per field, the contended
 * design the per-loop stripes avoid.
 *
 * <p>Short run: {@code java -jar benchmarks/target/benchmarks.jar Traffic -f 1 -wi 2 -i 3 -w 1s -r 1s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(2)
public class TrafficBenchmark {

    private final Traffic frontend = new Traffic(2);
    private final Traffic backend = new Traffic(2);
    private final Traffic server = new Traffic(2);
    private final AtomicLong[] shared = new AtomicLong[12];
    private final AtomicInteger threads = new AtomicInteger();

    /** Each benchmark thread is one event loop with a stripe of its own. */
    @State(Scope.Thread)
    public static class Loop {
        int stripe;
        long micros;

        @Setup
        public void setUp(TrafficBenchmark b) {
            stripe = b.threads.getAndIncrement() % 2;
        }
    }

    @Setup
    public void setUp() {
        for (int i = 0; i < shared.length; i++) {
            shared[i] = new AtomicLong();
        }
    }

    @Benchmark
    public void countersOfOneRequest(Loop loop) {
        int s = loop.stripe;
        for (Traffic t : new Traffic[] {frontend, backend, server}) {
            t.increment(s, Traffic.REQUESTS);
            t.response(s, 200);
            t.add(s, Traffic.BYTES_IN, 120);
            t.add(s, Traffic.BYTES_OUT, 1024);
        }
    }

    @Benchmark
    public void countersAndResponseTimesOfOneRequest(Loop loop) {
        countersOfOneRequest(loop);
        loop.micros = (loop.micros + 37) % 5000;
        backend.latency().record(loop.stripe, 200 + loop.micros);
        server.latency().record(loop.stripe, 200 + loop.micros);
    }

    @Benchmark
    public void sharedAtomic() {
        for (AtomicLong a : shared) {
            a.incrementAndGet();
        }
    }
}
