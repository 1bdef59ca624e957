package dev.sluice.routing.balance;

import dev.sluice.routing.Server;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Predicate;

/**
 * A consistent-hash ring: every server owns {@code weight x POINTS_PER_WEIGHT} points placed by
 * hashing its name, so adding or removing one server only moves the keys of that server.
 */
final class HashRing {

    static final int POINTS_PER_WEIGHT = 32;

    private final long[] points;
    private final Server[] owners;

    HashRing(Server[] servers) {
        int total = 0;
        for (Server s : servers) {
            total += s.weight() * POINTS_PER_WEIGHT;
        }
        long[][] entries = new long[total][];
        int e = 0;
        for (int i = 0; i < servers.length; i++) {
            int n = servers[i].weight() * POINTS_PER_WEIGHT;
            for (int k = 0; k < n; k++) {
                entries[e++] = new long[] {hash(servers[i].name() + '#' + k), i};
            }
        }
        Arrays.sort(entries, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0])
                : servers[(int) a[1]].name().compareTo(servers[(int) b[1]].name()));
        points = new long[total];
        owners = new Server[total];
        for (int i = 0; i < total; i++) {
            points[i] = entries[i][0];
            owners[i] = servers[(int) entries[i][1]];
        }
    }

    /** The first server clockwise from {@code key} that {@code ok} accepts, or {@code null}. */
    Server lookup(long key, Predicate<Server> ok) {
        int n = points.length;
        if (n == 0) {
            return null;
        }
        int i = Arrays.binarySearch(points, key);
        if (i < 0) {
            i = -i - 1;
        }
        for (int step = 0; step < n; step++) {
            Server s = owners[(i + step) % n];
            if (ok.test(s)) {
                return s;
            }
        }
        return null;
    }

    static long hash(String s) {
        return hash(s.getBytes(StandardCharsets.UTF_8));
    }

    /** FNV-1a followed by a 64-bit finalizer, for an even spread of short keys. */
    static long hash(byte[] bytes) {
        long h = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
