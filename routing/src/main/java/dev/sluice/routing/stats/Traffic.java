package dev.sluice.routing.stats;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The traffic counters of one frontend, backend or server, striped by event loop: each loop adds
 * to a stripe of its own (one writer per stripe, no atomic read-modify-write, no contention), and
 * a reader sums the stripes. The stripes are padded apart so that two loops never write the same
 * cache line. A thread that is not an event loop uses the last stripe, which is updated atomically.
 *
 * <p>A {@code Traffic} lives as long as the name it counts for: the routing compiler hands it from
 * one table to the next, so a reconfigure never resets a counter.
 */
public final class Traffic {

    /** New client connections (frontend), or sessions sent to it (backend, server). */
    public static final int SESSIONS = 0;
    /** HTTP requests. */
    public static final int REQUESTS = 1;
    /** Bytes from the client (request side). */
    public static final int BYTES_IN = 2;
    /** Bytes to the client (response side). */
    public static final int BYTES_OUT = 3;
    /** Responses by class: {@code RESPONSES_1XX + status / 100 - 1} for 1xx..5xx. */
    public static final int RESPONSES_1XX = 4;
    public static final int RESPONSES_2XX = 5;
    public static final int RESPONSES_3XX = 6;
    public static final int RESPONSES_4XX = 7;
    public static final int RESPONSES_5XX = 8;
    /** Responses with a status outside 100-599. */
    public static final int RESPONSES_OTHER = 9;
    /** Requests denied by a rule ({@code http-request deny}, auth). */
    public static final int DENIED_REQUESTS = 10;
    /** Invalid requests (400, 408, 414, 431 answered by the proxy). */
    public static final int REQUEST_ERRORS = 11;
    /** Failed connection attempts to a server. */
    public static final int CONNECT_ERRORS = 12;
    /** Invalid or aborted responses from a server (502, 504). */
    public static final int RESPONSE_ERRORS = 13;
    /** Connection attempts retried. */
    public static final int RETRIES = 14;
    /** Requests sent to another server than first chosen. */
    public static final int REDISPATCHES = 15;
    /** Transfers aborted by the client. */
    public static final int CLIENT_ABORTS = 16;
    /** Transfers aborted by the server. */
    public static final int SERVER_ABORTS = 17;
    /** New connections opened to a server. */
    public static final int CONNECTS = 18;
    /** Requests sent on a pooled (reused) server connection. */
    public static final int REUSES = 19;
    /** Requests answered by the proxy itself (stats page, monitor-uri, redirects). */
    public static final int INTERCEPTED = 20;
    /** Times the balancer chose this server. */
    public static final int SELECTED = 21;
    /** Failed TLS handshakes with clients. */
    public static final int TLS_FAILED_HANDSHAKES = 22;

    /**
     * Client connections open now (a frontend): +1 when one opens, -1 when it closes, both on its
     * own event loop, so the sum of the stripes is the current count.
     */
    public static final int OPEN = 23;

    static final int FIELDS = 24;
    /** Fields plus padding: two stripes never share a 64-byte line. */
    private static final int STRIDE = FIELDS + 8;
    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);

    /** Stripes for the event loops Sluice starts: one per core. A loop beyond writes the shared stripe. */
    public static final int LOOPS = Runtime.getRuntime().availableProcessors();

    private final long[] cells;
    private final int shared;
    private final Latency latency;

    public Traffic() {
        this(LOOPS);
    }

    /** @param loops the number of event loops (stripes 0..loops-1); one more stripe is shared */
    public Traffic(int loops) {
        if (loops < 0) {
            throw new IllegalArgumentException("loops: " + loops + " (expected: >= 0)");
        }
        this.shared = loops;
        this.cells = new long[(loops + 1) * STRIDE + 8];
        this.latency = new Latency(loops);
    }

    /** Response times (backends and servers; a frontend's stay empty). */
    public Latency latency() {
        return latency;
    }

    /** Adds 1 to {@code field} in {@code stripe}, which only the calling event loop writes. */
    public void increment(int stripe, int field) {
        add(stripe, field, 1);
    }

    /**
     * Adds {@code n} to {@code field}. {@code stripe} must be the caller's own (its event loop's
     * index); any other value, for example -1 from a thread that is not an event loop, goes to the
     * shared stripe.
     */
    public void add(int stripe, int field, long n) {
        if (stripe >= 0 && stripe < shared) {
            int i = 8 + stripe * STRIDE + field;
            CELLS.setOpaque(cells, i, (long) CELLS.getOpaque(cells, i) + n);
        } else {
            CELLS.getAndAdd(cells, 8 + shared * STRIDE + field, n);
        }
    }

    /** Counts a response of {@code status} in its class. */
    public void response(int stripe, int status) {
        int field = status >= 100 && status <= 599 ? RESPONSES_1XX + status / 100 - 1 : RESPONSES_OTHER;
        increment(stripe, field);
    }

    /** The total of {@code field} over every stripe. */
    public long sum(int field) {
        long total = 0;
        for (int s = 0; s <= shared; s++) {
            total += (long) CELLS.getOpaque(cells, 8 + s * STRIDE + field);
        }
        return total;
    }
}
