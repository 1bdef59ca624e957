package dev.sluice.benchmarks;

import dev.sluice.routing.RoutingCompiler;
import dev.sluice.routing.RoutingTable;
import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.FrontendConfig;
import dev.sluice.routing.config.ParseResult;
import dev.sluice.routing.config.ProxyConfig;
import dev.sluice.routing.config.UseBackendConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The configuration the routing benchmarks compile: one frontend {@code services} with N services.
 * Service {@code i} declares both {@code acl svc_i path_beg /svc_i/} and
 * {@code acl host_i hdr(host) -i svc_i.example.com}; its {@code use_backend be_i} rule uses the
 * path ACL when {@code i} is even and the host ACL when {@code i} is odd, so path and host rules
 * alternate in first-match order. The path prefix ends with a slash so that {@code /svc_1} does
 * not also match {@code /svc_10/...}: each request below matches exactly the rule it names.
 * There is no {@code default_backend}, so a request matching no rule gets {@code null} (503).
 */
final class ServicesConfig {

    static final String FRONTEND = "services";

    private ServicesConfig() {
    }

    static String text(int services, String balance, int serversPerBackend) {
        StringBuilder b = new StringBuilder(services * 200);
        b.append("defaults\n    mode http\n    timeout connect 5s\n")
                .append("    timeout client 30s\n    timeout server 30s\n\n");
        b.append("frontend ").append(FRONTEND).append('\n');
        b.append("    bind 127.0.0.1:18080\n");
        for (int i = 0; i < services; i++) {
            b.append("    acl svc_").append(i).append(" path_beg /svc_").append(i).append("/\n");
            b.append("    acl host_").append(i).append(" hdr(host) -i svc_").append(i)
                    .append(".example.com\n");
        }
        for (int i = 0; i < services; i++) {
            b.append("    use_backend be_").append(i).append(" if ")
                    .append(i % 2 == 0 ? "svc_" : "host_").append(i).append('\n');
        }
        for (int i = 0; i < services; i++) {
            b.append("\nbackend be_").append(i).append('\n');
            b.append("    balance ").append(balance).append('\n');
            for (int s = 0; s < serversPerBackend; s++) {
                b.append("    server s").append(s).append(" 10.0.").append(i % 250).append('.')
                        .append(s + 1).append(":8080\n");
            }
        }
        return b.toString();
    }

    /** Parses and compiles {@code text}; a parse error fails the benchmark setup. */
    static RoutingTable compile(String text) {
        return RoutingCompiler.compile(parse(text), null);
    }

    /**
     * Compiles {@code text} from a table that lacks the {@code use_backend} rule {@code missing}:
     * a table as a reconfigure that added one service builds it (the rules after it moved).
     */
    static RoutingTable compileAfterAdd(String text, int missing) {
        ProxyConfig full = parse(text);
        FrontendConfig f = full.frontend(FRONTEND);
        List<UseBackendConfig> fewer = new ArrayList<>(f.useBackends());
        fewer.remove(missing);
        List<FrontendConfig> frontends = List.of(f.withUseBackends(fewer, f.acls()));
        ProxyConfig before = new ProxyConfig(full.global(), frontends, full.backends(), full.userlists(),
                full.resolvers());
        return RoutingCompiler.compile(full, before, RoutingCompiler.compile(before, null));
    }

    private static ProxyConfig parse(String text) {
        ParseResult result = ConfigParser.parse(text, "bench.cfg", Path.of("."));
        if (!result.errors().isEmpty()) {
            throw new IllegalStateException("benchmark config rejected: " + result.errors());
        }
        return result.config();
    }

    /** A request that matches the {@code use_backend} rule of service {@code i} and no earlier one. */
    static BenchRequest requestFor(int i) {
        if (i % 2 == 0) {
            return BenchRequest.get("/svc_" + i + "/api/items?limit=10", "www.example.org");
        }
        return BenchRequest.get("/api/items?limit=10", "svc_" + i + ".example.com");
    }

    /** A request that matches no rule. */
    static BenchRequest unmatched() {
        return BenchRequest.get("/nowhere/api/items", "unknown.example.org");
    }
}
