package dev.sluice.routing.balance;

import dev.sluice.routing.Server;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The primary or the backup servers of a backend with the precomputed, immutable structures the
 * balancers walk: declaration order, the smooth weighted round-robin sequence and, on demand, a
 * consistent-hash ring. Servers of weight 0 never receive balanced traffic.
 */
final class Tier {

    /** Above this many (sequence length x servers) steps the sequence is built by virtual time. */
    private static final long SMOOTH_LIMIT = 20_000_000L;

    final Server[] servers;
    final Server[] sequence;
    final HashRing ring;

    Tier(List<Server> all, boolean backup, boolean withRing) {
        List<Server> list = new ArrayList<>();
        for (Server s : all) {
            // a server disabled in the configuration is out of the rotation, as in HAProxy: kept in
            // the sequence it would hand its turns to its neighbour and skew the order
            if (s.backup() == backup && s.weight() > 0 && !s.disabled()) {
                list.add(s);
            }
        }
        this.servers = list.toArray(Server[]::new);
        this.sequence = sequence(servers);
        this.ring = withRing ? new HashRing(servers) : null;
    }

    boolean isEmpty() {
        return servers.length == 0;
    }

    boolean anyUsable() {
        for (Server s : servers) {
            if (s.isUsable()) {
                return true;
            }
        }
        return false;
    }

    boolean contains(Server server) {
        for (Server s : servers) {
            if (s == server) {
                return true;
            }
        }
        return false;
    }

    /**
     * The smooth weighted round-robin order (each step: add every weight to its current value,
     * pick the largest, subtract the total from it), reduced by the weights' greatest common divisor.
     */
    static Server[] sequence(Server[] servers) {
        int n = servers.length;
        if (n == 0) {
            return servers;
        }
        int g = 0;
        for (Server s : servers) {
            g = gcd(g, s.weight());
        }
        int[] w = new int[n];
        int total = 0;
        for (int i = 0; i < n; i++) {
            w[i] = servers[i].weight() / g;
            total += w[i];
        }
        if ((long) total * n > SMOOTH_LIMIT) {
            return byVirtualTime(servers, w, total);
        }
        Server[] seq = new Server[total];
        long[] current = new long[n];
        for (int step = 0; step < total; step++) {
            int best = 0;
            for (int i = 0; i < n; i++) {
                current[i] += w[i];
                if (current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            seq[step] = servers[best];
        }
        return seq;
    }

    /** For very large pools: each server's k-th turn at time (k + 0.5) / weight, in time order. */
    private static Server[] byVirtualTime(Server[] servers, int[] w, int total) {
        long[] events = new long[total];
        double[] times = new double[total];
        int e = 0;
        for (int i = 0; i < servers.length; i++) {
            for (int k = 0; k < w[i]; k++) {
                times[e] = (k + 0.5) / w[i];
                events[e] = i;
                e++;
            }
        }
        Integer[] order = new Integer[total];
        for (int i = 0; i < total; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> times[a] != times[b] ? Double.compare(times[a], times[b])
                : Long.compare(events[a], events[b]));
        Server[] seq = new Server[total];
        for (int i = 0; i < total; i++) {
            seq[i] = servers[(int) events[order[i]]];
        }
        return seq;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
