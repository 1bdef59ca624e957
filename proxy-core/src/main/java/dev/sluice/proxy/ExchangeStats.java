package dev.sluice.proxy;

import dev.sluice.routing.Backend;
import dev.sluice.routing.Server;
import dev.sluice.routing.stats.Traffic;
import dev.sluice.routing.stats.TrafficBook;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequest;

import java.net.InetSocketAddress;

/**
 * What one exchange adds to the statistics, and its access-log line: counters of the frontend,
 * backend and server, each in the stripe of the connection's event loop (no contention), the
 * response time into the backend's and server's histograms, all written once when the exchange
 * ends. Lives on the client's event loop; nothing here blocks or locks. One object per client
 * connection, reused by its exchanges one after another ({@link #begin}).
 *
 * <p>Bytes are body bytes (request bodies in, response bodies out), which is what a client sent
 * and received as content; HAProxy's {@code bin}/{@code bout} also count heads.
 */
final class ExchangeStats {

    private final ProxyRuntime runtime;
    private final int stripe;
    private final Traffic frontend;
    private long startNanos;
    private TrafficBook book;
    private Backend backend;
    private Traffic backendTraffic;
    private Server server;
    private long connectStartNanos;
    private long connectNanos;
    private long sentNanos;
    private long responseNanos;
    private int status;
    private long bytesIn;
    private long bytesOut;
    private int retries;
    private boolean local;
    private boolean finished;

    ExchangeStats(ProxyRuntime runtime, int stripe, Traffic frontend) {
        this.runtime = runtime;
        this.stripe = stripe;
        this.frontend = frontend;
    }

    /**
     * Starts recording the connection's next request, forgetting the last one (which has
     * {@linkplain #finish finished}).
     *
     * @param book the counters of the table this request is routed by (read once per request)
     */
    ExchangeStats begin(TrafficBook book) {
        this.book = book;
        startNanos = EventClock.now();
        backend = null;
        backendTraffic = null;
        server = null;
        connectStartNanos = 0;
        connectNanos = 0;
        sentNanos = 0;
        responseNanos = 0;
        status = 0;
        bytesIn = 0;
        bytesOut = 0;
        retries = 0;
        local = false;
        finished = false;
        frontend.increment(stripe, Traffic.REQUESTS);
        return this;
    }

    /** The backend the request goes to (not called when there is none). */
    void backend(Backend b) {
        backend = b;
        backendTraffic = book.backend(b.name());
    }

    /** The balancer (or a retry) chose {@code s}. */
    void selected(Server s) {
        if (s != server) {
            s.state().traffic().increment(stripe, Traffic.SELECTED);
        }
        server = s;
        connectStartNanos = EventClock.now();
    }

    /** A connection to the server is ready ({@code pooled}: reused). */
    void connected(boolean pooled) {
        // a pooled connection is ready within the call that selected the server
        long now = pooled && connectStartNanos != 0 ? connectStartNanos : EventClock.now();
        connectNanos = pooled ? 0 : now - connectStartNanos;
        sentNanos = now;
        if (server != null) {
            server.state().traffic().increment(stripe, pooled ? Traffic.REUSES : Traffic.CONNECTS);
        }
    }

    void connectFailed(Server s) {
        s.state().traffic().increment(stripe, Traffic.CONNECT_ERRORS);
        backendTraffic(Traffic.CONNECT_ERRORS);
    }

    /** Another attempt after a failed connect; {@code redispatch}: to another server. */
    void retried(boolean redispatch) {
        retries++;
        backendTraffic(Traffic.RETRIES);
        if (server != null) {
            server.state().traffic().increment(stripe, Traffic.RETRIES);
        }
        if (redispatch) {
            backendTraffic(Traffic.REDISPATCHES);
            if (server != null) {
                server.state().traffic().increment(stripe, Traffic.REDISPATCHES);
            }
        }
    }

    /** The status going to the client: from the server, or {@code local} (Sluice's own answer). */
    void response(int code, boolean localAnswer) {
        status = code;
        local = localAnswer;
        if (!localAnswer) {
            responseNanos = EventClock.now();
        }
    }

    /**
     * HAProxy's two termination characters for an answer Sluice made itself: {@code SC} no server
     * could be connected, {@code SH} the server failed before its answer, {@code sH} it timed out;
     * {@code PR} the proxy refused the request, {@code LR} it answered it (a redirect, a page).
     */
    static String termination(int status, boolean serverTried) {
        return switch (status) {
            case 503 -> serverTried ? "SC" : "PR";
            case 502 -> "SH";
            case 504 -> "sH";
            default -> status >= 400 ? "PR" : "LR";
        };
    }

    void requestBytes(long n) {
        bytesIn += n;
    }

    void responseBytes(long n) {
        bytesOut += n;
    }

    /**
     * Writes everything once. {@code termination}: HAProxy's two state characters, {@code --}
     * when the exchange ended normally, else who ended it and when (for example {@code CD}:
     * the client went away during the data phase).
     */
    void finish(Channel client, HttpRequest request, String frontendName, boolean tls, String termination) {
        if (finished) {
            return;
        }
        finished = true;
        long micros = (EventClock.now() - startNanos) / 1000;
        if (status != 0) {
            frontend.response(stripe, status);
        }
        frontend.add(stripe, Traffic.BYTES_IN, bytesIn);
        frontend.add(stripe, Traffic.BYTES_OUT, bytesOut);
        if (status == 400 || status == 408 || status == 414 || status == 431) {
            frontend.increment(stripe, Traffic.REQUEST_ERRORS);
        } else if (local && status == 403) {
            frontend.increment(stripe, Traffic.DENIED_REQUESTS);
        } else if (local && backend == null && status != 503) {
            frontend.increment(stripe, Traffic.INTERCEPTED);
        }
        if (termination.charAt(0) == 'C') {
            frontend.increment(stripe, Traffic.CLIENT_ABORTS);
        }
        if (backend != null) {
            record(backendTraffic, micros, termination);
        }
        if (server != null) {
            record(server.state().traffic(), micros, termination);
        }
        AccessLog log = runtime.accessLog();
        if (log != null) {
            log.log(entry(client, request, frontendName, tls, termination, micros / 1000));
        }
    }

    private void record(Traffic t, long micros, String termination) {
        t.increment(stripe, Traffic.SESSIONS);
        t.increment(stripe, Traffic.REQUESTS);
        if (status != 0) {
            t.response(stripe, status);
        }
        if (termination.charAt(0) == 'C') {
            t.increment(stripe, Traffic.CLIENT_ABORTS);
        } else if (termination.equals("SD")) {
            t.increment(stripe, Traffic.SERVER_ABORTS);
        }
        t.add(stripe, Traffic.BYTES_IN, bytesIn);
        t.add(stripe, Traffic.BYTES_OUT, bytesOut);
        if (!local && status != 0) {
            t.latency().record(stripe, micros);
        } else if (status == 502 || status == 504) {
            t.increment(stripe, Traffic.RESPONSE_ERRORS);
        }
    }

    private void backendTraffic(int field) {
        if (backend != null) {
            backendTraffic.increment(stripe, field);
        }
    }

    private AccessLogEntry entry(Channel client, HttpRequest request, String frontendName, boolean tls,
                                 String termination, long totalMs) {
        String ip = "-";
        int port = 0;
        if (client.remoteAddress() instanceof InetSocketAddress a) {
            ip = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
            port = a.getPort();
        }
        long connectMs = server == null ? -1 : connectNanos / 1_000_000;
        long responseMs = responseNanos == 0 ? -1 : (responseNanos - sentNanos) / 1_000_000;
        // the wall-clock start, read only when a line is logged
        long startMillis = System.currentTimeMillis() - totalMs;
        return new AccessLogEntry(ip, port, startMillis, frontendName, tls,
                backend == null ? frontendName : backend.name(), server == null ? null : server.name(),
                0, connectMs, responseMs, totalMs, status, bytesOut, termination + "--", 0,
                server == null ? 0 : server.state().active(), retries,
                request.method().name(), request.uri(), request.protocolVersion().text());
    }
}
