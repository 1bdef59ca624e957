package dev.sluice.benchmarks;

import dev.sluice.routing.Backend;
import dev.sluice.routing.Frontend;
import dev.sluice.routing.RoutingTable;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Route lookup cost: {@code Frontend.select(request)} on a frontend with N services (see
 * {@link ServicesConfig}), for a request that matches the first rules (early), the rule in the
 * middle, the last rule (late), and no rule (the 503 path, which must look at every rule unless
 * the selector is indexed). With a linear first-match scan, middle/late/none grow with N; an
 * indexed selector keeps them flat.
 *
 * <p>Short run: {@code java -jar benchmarks/target/benchmarks.jar RouteLookup -f 1 -wi 2 -i 3 -w 1s -r 1s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RouteLookupBenchmark {

    @Param({"10", "1000", "10000"})
    public int services;

    /**
     * {@code fresh}: the table compiled from nothing; {@code afterAdd}: compiled from a table
     * without one service in the middle, as a reconfigure that adds a service builds it.
     */
    @Param({"fresh"})
    public String table;

    private Frontend frontend;
    /** Service 1: a host rule, second in order. */
    private BenchRequest early;
    /** Service services/2 rounded down to even: a path rule. */
    private BenchRequest middle;
    /** Service services-1 (odd): a host rule, last in order. */
    private BenchRequest late;
    private BenchRequest none;

    @Setup(Level.Trial)
    public void setUp() {
        String text = ServicesConfig.text(services, "roundrobin", 1);
        RoutingTable table = switch (this.table) {
            case "fresh" -> ServicesConfig.compile(text);
            case "afterAdd" -> ServicesConfig.compileAfterAdd(text, services / 2 + 1);
            default -> throw new IllegalArgumentException("table: " + this.table + " (expected: fresh, afterAdd)");
        };
        frontend = table.frontend(ServicesConfig.FRONTEND);
        if (frontend == null) {
            throw new IllegalStateException("no frontend " + ServicesConfig.FRONTEND + " in the table");
        }
        int middleIndex = (services / 2) & ~1;
        early = expect(1);
        middle = expect(middleIndex);
        late = expect(services - 1);
        none = ServicesConfig.unmatched();
        Backend unmatched = frontend.select(none);
        if (unmatched != null) {
            throw new IllegalStateException(none + " selected " + unmatched.name() + ", expected none");
        }
    }

    /** The request for service {@code i}, after checking that it selects {@code be_i}. */
    private BenchRequest expect(int i) {
        BenchRequest request = ServicesConfig.requestFor(i);
        Backend selected = frontend.select(request);
        String expected = "be_" + i;
        if (selected == null || !selected.name().equals(expected)) {
            throw new IllegalStateException(request + " selected "
                    + (selected == null ? "none" : selected.name()) + ", expected " + expected);
        }
        return request;
    }

    @Benchmark
    public Backend early() {
        return frontend.select(early);
    }

    @Benchmark
    public Backend middle() {
        return frontend.select(middle);
    }

    @Benchmark
    public Backend late() {
        return frontend.select(late);
    }

    @Benchmark
    public Backend none() {
        return frontend.select(none);
    }
}
