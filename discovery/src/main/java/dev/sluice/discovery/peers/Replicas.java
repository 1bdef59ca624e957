package dev.sluice.discovery.peers;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.discovery.ControlThreads;

import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The replicas of a global service: every address of {@code tasks.<SERVICE_NAME>} (Swarm's DNS
 * name for the service's tasks), each with its admin API on the same port. It fans changes out
 * ({@code distribute=true}), surveys the replicas' table hashes so drift is visible, pushes this
 * replica's services to replicas that differ (repair), and lets a new replica take its services
 * from a peer before it reports ready.
 */
public final class Replicas implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ATTEMPTS = 3;
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    /** The largest answer read from a replica (a state holds every service and certificate). */
    private static final long MAX_BODY = 64L << 20;

    private final String serviceName;
    private final int adminPort;
    private final String adminBind;
    private final String authorization;
    private final LocalReplica local;
    private final Supplier<String> discovery;
    private final PrintStream log;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            ControlThreads.named("sluice-replicas"));
    /** DNS lookups and the interfaces' addresses: blocking calls, off every caller's thread. */
    private final java.util.concurrent.ExecutorService lookups = Executors.newSingleThreadExecutor(
            ControlThreads.named("sluice-replicas-lookup"));
    private volatile List<PeerStatus> lastSurvey = List.of();
    private volatile long lastSurveyMillis;

    /** The answer of one replica to a fanned-out call. */
    public record Delivery(String address, int status, String message) {
        public boolean ok() {
            return status == 200;
        }
    }

    /**
     * @param authorization the {@code Authorization} header replicas expect (they share the
     *                      admin credentials), or {@code null} when the admin API is open
     * @param discovery     what this replica learns services from, shown to its peers
     */
    public Replicas(String serviceName, String adminBind, int adminPort, String authorization, LocalReplica local,
                    Supplier<String> discovery, PrintStream log) {
        this.serviceName = requireNonNull(serviceName, "serviceName");
        this.adminBind = requireNonNull(adminBind, "adminBind");
        this.adminPort = adminPort;
        this.authorization = authorization;
        this.local = requireNonNull(local, "local");
        this.discovery = requireNonNull(discovery, "discovery");
        this.log = requireNonNull(log, "log");
    }

    /** {@code tasks.<SERVICE_NAME>}: where the replicas are found. */
    public String dnsName() {
        return "tasks." + serviceName;
    }

    /** What this replica learns services from. */
    public String discovery() {
        return discovery.get();
    }

    /** Every replica's admin address, sorted; empty when the name does not resolve (not on Swarm). */
    public List<InetSocketAddress> resolve() {
        InetAddress[] all;
        try {
            all = InetAddress.getAllByName(dnsName());
        } catch (UnknownHostException e) {
            return List.of();
        }
        List<InetSocketAddress> out = new ArrayList<>();
        for (InetAddress a : all) {
            out.add(new InetSocketAddress(a, adminPort));
        }
        out.sort(Comparator.comparing(a -> a.getAddress().getHostAddress()));
        return out;
    }

    /** Whether {@code address} is this replica: its admin bind address, or one of its interfaces' when bound to all. */
    public boolean isSelf(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        if (!adminBind.equals("0.0.0.0") && !adminBind.equals("::") && !adminBind.isEmpty()) {
            try {
                return InetAddress.getByName(adminBind).equals(ip);
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return localAddresses().contains(ip);
    }

    private static Set<InetAddress> localAddresses() {
        Set<InetAddress> out = new HashSet<>();
        try {
            for (NetworkInterface nic : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
                nic.getInterfaceAddresses().forEach(a -> out.add(a.getAddress()));
            }
        } catch (SocketException e) {
            // no interfaces to compare with: nothing is self
        }
        return out;
    }

    /**
     * Sends {@code method pathAndQuery} (with {@code body}) to every replica, itself included, in
     * parallel, each up to {@value #ATTEMPTS} times a second apart. Completes when all answered or
     * gave up; the caller tells 200 only when every delivery is ok.
     */
    public CompletableFuture<List<Delivery>> fanOut(String method, String pathAndQuery, byte[] body) {
        // DNS on the replicas' thread: the caller may be the admin API's event loop
        return CompletableFuture.supplyAsync(this::resolve, lookups).thenCompose(targets -> {
            List<CompletableFuture<Delivery>> calls = new ArrayList<>();
            for (InetSocketAddress target : targets) {
                calls.add(deliver(target, method, pathAndQuery, body, 1));
            }
            return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                    .thenApply(v -> calls.stream().map(CompletableFuture::join).toList());
        });
    }

    private CompletableFuture<Delivery> deliver(InetSocketAddress target, String method, String pathAndQuery,
                                                byte[] body, int attempt) {
        String address = hostPort(target);
        return call(target, method, pathAndQuery, body).handle((r, error) -> {
            if (error == null && r.statusCode() < 500) {
                return CompletableFuture.completedFuture(new Delivery(address, r.statusCode(), message(r.body())));
            }
            String why = error != null ? describe(error) : "answered " + r.statusCode() + ": " + message(r.body());
            if (attempt >= ATTEMPTS) {
                return CompletableFuture.completedFuture(new Delivery(address, error != null ? 0 : r.statusCode(),
                        why + " (after " + ATTEMPTS + " attempts)"));
            }
            return CompletableFuture.supplyAsync(() -> null,
                            CompletableFuture.delayedExecutor(RETRY_PAUSE.toMillis(), TimeUnit.MILLISECONDS))
                    .thenCompose(v -> deliver(target, method, pathAndQuery, body, attempt + 1));
        }).thenCompose(f -> f);
    }

    private CompletableFuture<HttpResponse<byte[]>> call(InetSocketAddress target, String method, String pathAndQuery,
                                                          byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + hostPort(target) + pathAndQuery))
                .timeout(CALL_TIMEOUT)
                .header("X-Sluice-Replica", "1")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return client.sendAsync(b.build(), LimitedBody.handler(MAX_BODY));
    }

    /** Asks every replica its table's generation and hash. */
    public CompletableFuture<List<PeerStatus>> survey() {
        // DNS and the interfaces' addresses on the replicas' thread, never the caller's event loop
        return CompletableFuture.supplyAsync(() -> {
            List<Map.Entry<InetSocketAddress, Boolean>> targets = new ArrayList<>();
            for (InetSocketAddress target : resolve()) {
                targets.add(Map.entry(target, isSelf(target)));
            }
            return targets;
        }, lookups).thenCompose(this::survey);
    }

    private CompletableFuture<List<PeerStatus>> survey(List<Map.Entry<InetSocketAddress, Boolean>> targets) {
        List<CompletableFuture<PeerStatus>> calls = new ArrayList<>();
        for (Map.Entry<InetSocketAddress, Boolean> t : targets) {
            InetSocketAddress target = t.getKey();
            boolean self = t.getValue();
            calls.add(call(target, "GET", "/v1/proxy/ping", null).handle((r, error) -> {
                if (error != null) {
                    return new PeerStatus(hostPort(target), self, false, 0, "", "", 0, "", describe(error));
                }
                try {
                    JsonNode j = JSON.readTree(r.body());
                    if (r.statusCode() != 200) {
                        return new PeerStatus(hostPort(target), self, false, 0, "", "", 0, "", "ping answered " + r.statusCode());
                    }
                    return new PeerStatus(hostPort(target), self, true, j.path("Generation").asLong(),
                            j.path("ServicesHash").asText(""), j.path("Hash").asText(""), j.path("Services").asInt(0),
                            j.path("Discovery").asText(""), "");
                } catch (IOException e) {
                    return new PeerStatus(hostPort(target), self, false, 0, "", "", 0, "", "ping is not JSON");
                }
            }));
        }
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<PeerStatus> out = calls.stream().map(CompletableFuture::join).toList();
            lastSurvey = out;
            lastSurveyMillis = System.currentTimeMillis();
            return out;
        });
    }

    /** The last survey (the periodic one, or the last asked for), and when it ran. */
    public List<PeerStatus> lastSurvey() {
        return lastSurvey;
    }

    public long lastSurveyMillis() {
        return lastSurveyMillis;
    }

    /**
     * {@code peers?repair=true}: makes every other replica that answers with other services
     * route exactly as this one (services and certificates).
     */
    public CompletableFuture<List<Delivery>> repair() {
        return survey().thenCompose(peers -> {
            String hash = local.hash();
            List<PeerStatus> targets = peers.stream()
                    // a replica that does not answer now takes the services from its peers when it starts
                    .filter(p -> !p.self() && p.reachable() && !p.hash().equals(hash)).toList();
            return push(targets, false);
        });
    }

    /**
     * After a change from the Docker engine: hands this replica's Docker services to the replicas
     * that do not follow the engine themselves (on worker nodes, or failing to reach theirs). Only
     * one replica pushes — the lowest address among those following the engine — so two managers
     * never overwrite each other's pushes; the receivers keep their other services.
     */
    public CompletableFuture<List<Delivery>> pushDockerServices() {
        return survey().thenCompose(peers -> {
            String leader = peers.stream().filter(p -> p.reachable() && p.followsDocker()).map(PeerStatus::address)
                    .min(Comparator.naturalOrder()).orElse("");
            boolean selfLeads = peers.stream().anyMatch(p -> p.self() && p.address().equals(leader));
            if (!selfLeads) {
                return CompletableFuture.completedFuture(List.<Delivery>of());
            }
            return push(peers.stream().filter(p -> !p.self() && p.reachable() && !p.followsDocker()).toList(), true);
        });
    }

    private CompletableFuture<List<Delivery>> push(List<PeerStatus> targets, boolean dockerOnly) {
        if (targets.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        byte[] state = local.exportState(dockerOnly);
        List<CompletableFuture<Delivery>> pushes = new ArrayList<>();
        for (PeerStatus p : targets) {
            pushes.add(deliver(parse(p.address()), "PUT", "/v1/proxy/state", state, 1));
        }
        return CompletableFuture.allOf(pushes.toArray(CompletableFuture[]::new))
                .thenApply(v -> pushes.stream().map(CompletableFuture::join).toList());
    }

    /**
     * At start: takes services and certificates from the replicas that answer, choosing the hash
     * most of them agree on. Blocks the caller (start-up, before the ports open) at most {@code deadline}.
     *
     * @return what was done, for the start-up log; "" when the name does not resolve (not on Swarm)
     */
    public String pullFromPeers(Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        List<PeerStatus> peers;
        try {
            peers = survey().get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return "peers at " + dnsName() + " did not answer in time: starting with this replica's own services";
        }
        Map<String, List<PeerStatus>> byHash = new LinkedHashMap<>();
        for (PeerStatus p : peers) {
            if (!p.self() && p.reachable()) {
                byHash.computeIfAbsent(p.hash(), h -> new ArrayList<>()).add(p);
            }
        }
        if (byHash.isEmpty()) {
            return peers.isEmpty() ? ""
                    : "no other replica answered at " + dnsName() + ": starting with this replica's own services";
        }
        List<PeerStatus> chosen = byHash.values().stream().max(Comparator.comparingInt(List::size)).orElseThrow();
        if (chosen.get(0).hash().equals(local.hash())) {
            return "same services as " + chosen.size() + " peer replica(s) (hash " + local.hash() + ")";
        }
        if (chosen.get(0).services() == 0 && local.serviceCount() > 0) {
            // a cluster restarting: peers that came up empty must not wipe what this replica kept
            return "the peer replicas have no services: keeping this replica's " + local.serviceCount();
        }
        for (PeerStatus p : chosen) {
            try {
                long left = Math.max(1, (end - System.nanoTime()) / 1_000_000);
                HttpResponse<byte[]> r = call(parse(p.address()), "GET", "/v1/proxy/state", null)
                        .get(left, TimeUnit.MILLISECONDS);
                if (r.statusCode() != 200) {
                    log.println("warning: could not take the services of " + p.address() + ": state answered "
                            + r.statusCode() + ": " + message(r.body()));
                    continue;
                }
                left = Math.max(1, (end - System.nanoTime()) / 1_000_000);
                return "took the services of " + p.address() + ": "
                        + local.importState(r.body()).get(left, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                log.println("warning: could not take the services of " + p.address() + ": " + describe(e));
            }
        }
        return "no peer replica gave its services: starting with this replica's own";
    }

    /** Surveys every {@code interval}, so the stats page shows the replicas' hashes. */
    public void watch(Duration interval) {
        // never waits on the timer's own thread: the survey's lookups run on the lookup thread
        timer.scheduleWithFixedDelay(this::survey, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static InetSocketAddress parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1)));
    }

    static String hostPort(InetSocketAddress a) {
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (a.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private static String message(byte[] body) {
        try {
            JsonNode j = JSON.readTree(body);
            return j.path("Message").asText("");
        } catch (IOException | RuntimeException e) {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        lookups.shutdownNow();
    }
}
