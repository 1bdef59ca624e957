package dev.sluice.discovery.listener;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.discovery.ControlThreads;
import dev.sluice.discovery.ServiceSink;
import dev.sluice.discovery.Source;
import dev.sluice.discovery.peers.LimitedBody;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Docker Flow Swarm Listener compatibility: fetches {@code /v1/docker-flow-swarm-listener/get-services}
 * from {@code LISTENER_ADDRESS} at start and every {@code RELOAD_INTERVAL}, and reconciles fully
 * — a service the listener no longer lists is removed (Docker Flow Proxy only ever added). The
 * listener's notifications still arrive as {@code reconfigure}/{@code remove} calls.
 *
 * <p>With several listener addresses, the first that answers is used.
 */
public final class SwarmListenerSync implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String PATH = "/v1/docker-flow-swarm-listener/get-services";
    /** The largest list read from a listener. */
    private static final long MAX_BODY = 16L << 20;

    private final List<URI> addresses;
    private final ServiceSink sink;
    private final Duration interval;
    private final PrintStream log;
    private final Runnable onChange;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
            ControlThreads.named("sluice-listener"));
    private volatile boolean fetchedOnce;
    private volatile String lastError = "";
    private volatile long lastFetchMillis;

    public SwarmListenerSync(String listenerAddress, ServiceSink sink, Duration interval, PrintStream log,
                             Runnable onChange) {
        this.addresses = addresses(listenerAddress);
        this.sink = requireNonNull(sink, "sink");
        this.interval = requireNonNull(interval, "interval");
        this.log = requireNonNull(log, "log");
        this.onChange = requireNonNull(onChange, "onChange");
    }

    /**
     * {@code LISTENER_ADDRESS}: comma-separated {@code host}, {@code host:port} or
     * {@code http://host:port}; port 8080 when none is given, as in Docker Flow Proxy.
     *
     * @throws IllegalArgumentException naming the bad address
     */
    static List<URI> addresses(String value) {
        List<URI> out = new ArrayList<>();
        for (String part : value.split(",")) {
            String a = part.trim();
            if (a.isEmpty()) {
                continue;
            }
            String url = a.contains("://") ? a : "http://" + a;
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("LISTENER_ADDRESS: " + a + " (expected: HOST[:PORT], comma-separated)", e);
            }
            if (uri.getHost() == null || !"http".equals(uri.getScheme())) {
                throw new IllegalArgumentException("LISTENER_ADDRESS: " + a + " (expected: HOST[:PORT], comma-separated)");
            }
            out.add(URI.create("http://" + uri.getHost() + ":" + (uri.getPort() > 0 ? uri.getPort() : 8080) + PATH));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("LISTENER_ADDRESS: empty (expected: HOST[:PORT], comma-separated)");
        }
        return List.copyOf(out);
    }

    /** Starts the periodic fetch; the first one runs at once. */
    public SwarmListenerSync start() {
        worker.scheduleWithFixedDelay(this::fetchQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** {@code reload?fromListener=true}: fetches and reconciles now, off the caller's thread. */
    public CompletableFuture<ServiceSink.Reconciled> fetchNow() {
        CompletableFuture<ServiceSink.Reconciled> out = new CompletableFuture<>();
        worker.execute(() -> {
            try {
                out.complete(fetch());
            } catch (Exception e) {
                out.completeExceptionally(e);
            }
        });
        return out;
    }

    /** Whether a fetch has succeeded since start: Docker Flow Proxy's {@code successfulinitreload}. */
    public boolean fetchedOnce() {
        return fetchedOnce;
    }

    public String lastError() {
        return lastError;
    }

    public long lastFetchMillis() {
        return lastFetchMillis;
    }

    public List<URI> addressList() {
        return addresses;
    }

    private void fetchQuietly() {
        try {
            fetch();
        } catch (Exception e) {
            // reported in lastError and the log by fetch
        }
    }

    private ServiceSink.Reconciled fetch() throws Exception {
        List<String> errors = new ArrayList<>();
        for (URI uri : addresses) {
            List<Map<String, List<String>>> services;
            try {
                services = get(uri);
            } catch (IOException e) {
                errors.add(uri.getHost() + ":" + uri.getPort() + ": " + e.getMessage());
                continue;
            }
            ServiceSink.Reconciled result = sink.reconcile(Source.LISTENER, services).get();
            fetchedOnce = true;
            lastError = "";
            lastFetchMillis = System.currentTimeMillis();
            result.failed().forEach((name, why) -> log.println("listener: service " + name + ": " + why));
            if (result.changed()) {
                log.println("listener: reconciled with " + uri.getHost() + ": added " + result.added() + ", updated "
                        + result.updated() + ", removed " + result.removed());
                onChange.run();
            }
            return result;
        }
        String error = String.join("; ", errors);
        if (!error.equals(lastError)) {
            log.println("listener: get-services failed: " + error);
        }
        lastError = error;
        throw new IOException("no Swarm Listener answered: " + error);
    }

    /** The listener's list: a JSON array of parameter maps (string values) or of parameter lists. */
    private List<Map<String, List<String>>> get(URI uri) throws IOException {
        HttpResponse<byte[]> r;
        try {
            r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                    LimitedBody.handler(MAX_BODY));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (r.statusCode() != 200) {
            throw new IOException("answered " + r.statusCode());
        }
        JsonNode root = JSON.readTree(r.body());
        if (root == null || !root.isArray()) {
            throw new IOException("expected a JSON array of services");
        }
        List<Map<String, List<String>>> out = new ArrayList<>();
        for (JsonNode service : root) {
            Map<String, List<String>> params = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = service.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> p = it.next();
                if (p.getKey().equals("distribute") || p.getKey().equals("serviceCert")) {
                    continue;
                }
                List<String> values = new ArrayList<>();
                if (p.getValue().isArray()) {
                    p.getValue().forEach(v -> values.add(v.asText()));
                } else {
                    values.add(p.getValue().asText());
                }
                params.put(p.getKey(), values);
            }
            out.add(params);
        }
        return out;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
