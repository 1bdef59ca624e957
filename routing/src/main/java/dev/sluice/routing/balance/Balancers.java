package dev.sluice.routing.balance;

import static java.util.Objects.requireNonNull;

import dev.sluice.routing.Balancer;

/** The balancing algorithms, each a new instance per backend (they keep per-backend counters). */
public final class Balancers {

    private Balancers() {
    }

    public static Balancer roundRobin() {
        return new RoundRobinBalancer();
    }

    public static Balancer leastConn() {
        return new LeastConnBalancer();
    }

    public static Balancer source() {
        return HashBalancer.source();
    }

    public static Balancer first() {
        return new FirstBalancer();
    }

    public static Balancer uri() {
        return HashBalancer.uri();
    }

    public static Balancer header(String name) {
        return HashBalancer.header(requireNonNull(name, "name"));
    }

    public static Balancer random() {
        return new RandomBalancer();
    }

    /** The balancer of {@code balance ALGORITHM} ({@code arg} is the header of {@code hdr}). */
    public static Balancer of(String algorithm, String arg) {
        return switch (algorithm) {
            case "roundrobin", "static-rr" -> roundRobin();
            case "leastconn" -> leastConn();
            case "source" -> source();
            case "first" -> first();
            case "uri" -> uri();
            case "hdr" -> header(arg);
            case "random" -> random();
            default -> throw new IllegalArgumentException("balance: " + algorithm
                    + " (expected roundrobin, static-rr, leastconn, source, first, uri, hdr(NAME) or random)");
        };
    }
}
