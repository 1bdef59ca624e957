package dev.sluice.benchmarks;

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
 * Cost of a full rebuild: parse the text of N services and compile a {@link RoutingTable}, which is
 * what every reconfigure pays on the admin side (the proxy loops do not). Watch how it grows with
 * N: a rebuild that is quadratic in the number of services shows up here long before production.
 *
 * <p>Short run: {@code java -jar benchmarks/target/benchmarks.jar ConfigCompile -f 1 -wi 2 -i 3 -w 1s -r 1s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ConfigCompileBenchmark {

    @Param({"10", "1000", "10000"})
    public int services;

    private String text;

    @Setup(Level.Trial)
    public void setUp() {
        text = ServicesConfig.text(services, "roundrobin", 1);
    }

    @Benchmark
    public RoutingTable parseAndCompile() {
        return ServicesConfig.compile(text);
    }
}
