package dev.sluice.proxy;

import dev.sluice.routing.Backend;
import dev.sluice.routing.Balancer;
import dev.sluice.routing.Bind;
import dev.sluice.routing.ConnectionMode;
import dev.sluice.routing.ErrorPages;
import dev.sluice.routing.ForwardFor;
import dev.sluice.routing.Frontend;
import dev.sluice.routing.HttpLimits;
import dev.sluice.routing.HttpRule;
import dev.sluice.routing.Mode;
import dev.sluice.routing.RoutingTable;
import dev.sluice.routing.Server;
import dev.sluice.routing.ServerState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Routing tables built by hand (no parser) for data-plane tests: one frontend, one backend. */
final class Tables {

    static final String FRONTEND = "fe";

    private Tables() {
    }

    static Builder builder() {
        return new Builder();
    }

    static final class Builder {
        Mode mode = Mode.HTTP;
        dev.sluice.routing.Timeouts timeouts = new dev.sluice.routing.Timeouts(2000, 10_000, 10_000, 5000, 5000, 0, 0, 0);
        List<int[]> servers = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        int maxconn;
        int globalMaxconn;
        int retries = 0;
        boolean redispatch;
        ForwardFor forwardFor = new ForwardFor("X-Forwarded-For", null);
        ConnectionMode connectionMode = ConnectionMode.KEEP_ALIVE;
        List<HttpRule> requestRules = List.of();
        List<HttpRule> responseRules = List.of();
        HttpLimits limits = HttpLimits.DEFAULT;
        ErrorPages errorPages = ErrorPages.NONE;
        boolean noBackend;

        Builder mode(Mode m) { mode = m; return this; }
        Builder timeouts(dev.sluice.routing.Timeouts t) { timeouts = t; return this; }
        Builder server(int port) { return server("127.0.0.1", port); }
        Builder server(String host, int port) { servers.add(new int[] {port, 1}); hosts.add(host); return this; }
        Builder server(int port, int weight) { servers.add(new int[] {port, weight}); hosts.add("127.0.0.1"); return this; }
        Builder maxconn(int m) { maxconn = m; return this; }
        Builder globalMaxconn(int m) { globalMaxconn = m; return this; }
        Builder retries(int r, boolean redispatch) { retries = r; this.redispatch = redispatch; return this; }
        Builder forwardFor(ForwardFor f) { forwardFor = f; return this; }
        Builder connectionMode(ConnectionMode m) { connectionMode = m; return this; }
        Builder requestRules(List<HttpRule> r) { requestRules = r; return this; }
        Builder responseRules(List<HttpRule> r) { responseRules = r; return this; }
        Builder limits(HttpLimits l) { limits = l; return this; }
        Builder errorPages(ErrorPages p) { errorPages = p; return this; }
        Builder noBackend() { noBackend = true; return this; }

        RoutingTable build() {
            List<Server> list = new ArrayList<>();
            for (int i = 0; i < servers.size(); i++) {
                list.add(new Server("be", "s" + (i + 1), hosts.get(i), servers.get(i)[0], servers.get(i)[1],
                        false, false, 0, new ServerState()));
            }
            Backend backend = new Backend("be", mode, list, roundRobin(), timeouts, retries, redispatch,
                    null, connectionMode, requestRules, responseRules, errorPages);
            Frontend frontend = new Frontend(FRONTEND, mode, List.of(new Bind("127.0.0.1", 0, false)), maxconn, timeouts,
                    forwardFor, connectionMode, List.of(), List.of(), errorPages,
                    request -> noBackend ? null : backend, null);
            return new RoutingTable(1, "test", List.of(frontend), Map.of("be", backend), limits, globalMaxconn);
        }
    }

    /** Plain round robin over usable servers, skipping {@code avoid} when another is usable. */
    static Balancer roundRobin() {
        AtomicInteger next = new AtomicInteger();
        return (servers, request, avoid) -> {
            for (int i = 0; i < servers.size(); i++) {
                Server s = servers.get(Math.floorMod(next.getAndIncrement(), servers.size()));
                if (s.isUsable() && s != avoid) {
                    return s;
                }
            }
            return avoid != null && avoid.isUsable() ? avoid : null;
        };
    }
}
