package dev.sluice.routing.balance;

import dev.sluice.routing.Server;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Predicate;

/**
 * A consistent-hash ring: every server owns {@code weight x POINTS_PER_WEIGHT} points placed by
 * hashing its name, so adding or removing one server only moves the keys of that server.
 * A point is one {@code long}: the upper 40 bits of its hash and, below, the owner's index.
 */
final class HashRing {

    static final int POINTS_PER_WEIGHT = 32;
    private static final int INDEX_BITS = 24;
    private static final long INDEX_MASK = (1L << INDEX_BITS) - 1;
    /** Beyond this many points (huge pools), each server gets proportionally fewer. */
    private static final long MAX_POINTS = 1L << 22;

    private final long[] points;
    private final Server[] servers;

    HashRing(Server[] servers) {
        this.servers = servers.length > INDEX_MASK ? Arrays.copyOf(servers, (int) INDEX_MASK) : servers;
        long total = 0;
        for (Server s : this.servers) {
            total += (long) s.weight() * POINTS_PER_WEIGHT;
        }
        double scale = total > MAX_POINTS ? (double) MAX_POINTS / total : 1.0;
        long[] all = new long[(int) Math.min(total, MAX_POINTS + this.servers.length)];
        int e = 0;
        for (int i = 0; i < this.servers.length; i++) {
            int n = Math.max(1, (int) (this.servers[i].weight() * POINTS_PER_WEIGHT * scale));
            for (int k = 0; k < n && e < all.length; k++) {
                all[e++] = (hash(this.servers[i].name() + '#' + k) & ~INDEX_MASK) | i;
            }
        }
        points = Arrays.copyOf(all, e);
        Arrays.sort(points);
    }

    /** The first server clockwise from {@code key} that {@code ok} accepts, or {@code null}. */
    Server lookup(long key, Predicate<Server> ok) {
        int n = points.length;
        if (n == 0) {
            return null;
        }
        int i = Arrays.binarySearch(points, key & ~INDEX_MASK);
        if (i < 0) {
            i = -i - 1;
        }
        for (int step = 0; step < n; step++) {
            Server s = servers[(int) (points[(i + step) % n] & INDEX_MASK)];
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
