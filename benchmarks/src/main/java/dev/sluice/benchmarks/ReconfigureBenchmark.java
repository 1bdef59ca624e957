package dev.sluice.benchmarks;

import dev.sluice.routing.RoutingCompiler;
import dev.sluice.routing.RoutingTable;
import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.ProxyConfig;
import dev.sluice.routing.service.ServiceConfigs;
import dev.sluice.routing.service.ServiceDefaults;
import dev.sluice.routing.service.ServiceFragments;
import dev.sluice.routing.service.ServiceException;
import dev.sluice.routing.service.ServiceParser;
import dev.sluice.routing.service.ServiceSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * What one {@code reconfigure} costs the admin side with N services already present: generate
 * the services' configuration, parse it, merge it with the static configuration and compile the
 * routing table (carrying live state over from the previous one). The proxy loops pay none of it.
 *
 * <p>Short run: {@code java -jar benchmarks/target/benchmarks.jar Reconfigure -f 1 -wi 2 -i 3 -w 1s -r 1s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ReconfigureBenchmark {

    @Param({"10", "100", "1000"})
    public int services;

    private ProxyConfig base;
    private List<ServiceSpec> specs;
    private RoutingTable previous;
    private ProxyConfig built;
    private ProxyConfig builtChanged;
    private ProxyConfig builtAdded;
    private ProxyConfig builtRemoved;
    private final ServiceFragments fragments = new ServiceFragments();
    private ServiceSpec first;
    private ServiceSpec changed;
    private boolean flip;

    @Setup(Level.Trial)
    public void setUp() throws ServiceException {
        base = ConfigParser.parse("defaults\n    mode http\n    timeout connect 5s\nfrontend services\n    bind :80\n",
                "base.cfg", Path.of(".")).config();
        specs = new ArrayList<>();
        for (int i = 0; i < services; i++) {
            specs.add(service("svc" + i));
        }
        first = specs.get(0);
        Map<String, List<String>> other = new LinkedHashMap<>(first.params());
        other.put("servicePath", List.of("/changed"));
        changed = ServiceParser.parse(other, ServiceDefaults.DFP);
        ServiceConfigs.build(base, specs, ServiceDefaults.DFP, fragments);
        // each of these differs from built by one service: the fragments keep the others' objects
        // (and only the last build's services, hence this order)
        specs.set(0, changed);
        builtChanged = ServiceConfigs.build(base, specs, ServiceDefaults.DFP, fragments);
        specs.set(0, first);
        built = ServiceConfigs.build(base, specs, ServiceDefaults.DFP, fragments);
        List<ServiceSpec> more = new ArrayList<>(specs);
        more.add(service("svc" + services / 2 + "x")); // sorts into the middle of the frontend's rules
        builtAdded = ServiceConfigs.build(base, more, ServiceDefaults.DFP, fragments);
        List<ServiceSpec> fewer = new ArrayList<>(specs);
        fewer.remove(services / 2);
        builtRemoved = ServiceConfigs.build(base, fewer, ServiceDefaults.DFP, fragments);
        previous = RoutingCompiler.compile(built, null);
    }

    private static ServiceSpec service(String name) throws ServiceException {
        Map<String, List<String>> p = new LinkedHashMap<>();
        p.put("serviceName", List.of(name));
        p.put("servicePath", List.of("/" + name + ",/api/v" + name.substring(3)));
        p.put("serviceDomain", List.of(name + ".example.com"));
        p.put("port", List.of("8080"));
        return ServiceParser.parse(p, ServiceDefaults.DFP);
    }

    @Benchmark
    public RoutingTable buildAndCompile() throws ServiceException {
        return RoutingCompiler.compile(ServiceConfigs.build(base, specs, ServiceDefaults.DFP), previous);
    }

    /** The first half alone: the services' configuration generated, parsed and merged. */
    @Benchmark
    public ProxyConfig build() throws ServiceException {
        return ServiceConfigs.build(base, specs, ServiceDefaults.DFP);
    }

    /**
     * What the registry pays for the first half: one service changed (two versions in turn), the
     * others' fragments kept from the build before.
     */
    @Benchmark
    public ProxyConfig buildAfterOneChange() throws ServiceException {
        flip = !flip;
        specs.set(0, flip ? changed : first);
        return ServiceConfigs.build(base, specs, ServiceDefaults.DFP, fragments);
    }

    /**
     * What the registry pays for the second half: the configuration with one service changed,
     * compiled taking over the other services' backends from the table before.
     */
    @Benchmark
    public RoutingTable compileAfterOneChange() {
        return RoutingCompiler.compile(builtChanged, built, previous);
    }

    /** Like {@link #compileAfterOneChange}, for a service added in the middle of the frontend's rules. */
    @Benchmark
    public RoutingTable compileAfterOneAdd() {
        return RoutingCompiler.compile(builtAdded, built, previous);
    }

    /** Like {@link #compileAfterOneChange}, for a service removed from the middle of the frontend's rules. */
    @Benchmark
    public RoutingTable compileAfterOneRemove() {
        return RoutingCompiler.compile(builtRemoved, built, previous);
    }

    /** The second half alone: the merged configuration compiled into a table. */
    @Benchmark
    public RoutingTable compile() {
        return RoutingCompiler.compile(built, previous);
    }
}
