package dev.sluice.benchmarks;

import dev.sluice.routing.Backend;
import dev.sluice.routing.RoutingTable;
import dev.sluice.routing.Server;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one {@code Backend.pick} (the balancer choosing a server) for a backend of N servers, as
 * compiled from {@code balance ALGO}. Two threads, because balancers run on every event loop at
 * once and shared counters (round-robin position, active requests) contend.
 *
 * <p>Short run: {@code java -jar benchmarks/target/benchmarks.jar BalancerPick -f 1 -wi 2 -i 3 -w 1s -r 1s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(2)
public class BalancerPickBenchmark {

    @Param({"roundrobin", "leastconn"})
    public String balance;

    @Param({"4", "64"})
    public int servers;

    private Backend backend;
    private BenchRequest request;

    @Setup(Level.Trial)
    public void setUp() {
        RoutingTable table = ServicesConfig.compile(ServicesConfig.text(1, balance, servers));
        backend = table.backend("be_0");
        if (backend == null) {
            throw new IllegalStateException("no backend be_0 in the table");
        }
        request = ServicesConfig.requestFor(0);
        if (backend.pick(request, null) == null) {
            throw new IllegalStateException("balance " + balance + " picked no server");
        }
    }

    @Benchmark
    public Server pick() {
        return backend.pick(request, null);
    }
}
