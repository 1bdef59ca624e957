package dev.sluice.discovery;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A fake Docker Engine (a Swarm manager) for tests of a Docker discovery client: it answers the
 * read-only part of the Engine API a discovery client uses, over TCP or a UNIX socket, and a test
 * drives the cluster behind it (create, relabel, scale, remove services; start and fail tasks;
 * lose events; drop event streams; fail requests; demote the node to a worker).
 *
 * <p>The answers follow <b>Engine API 1.45 (Docker 26.1.4)</b>, as read from Moby's API types,
 * router and {@code daemon/cluster} code and SwarmKit's orchestrator:
 * <ul>
 *   <li>paths with or without a {@code /v1.NN} prefix; below 1.24 or above 1.45 is a 400 with the
 *       daemon's own message; an unknown route is a 404 {@code {"message":"page not found"}};
 *   <li>{@code GET|HEAD /_ping} ({@code Api-Version}, {@code Swarm: active/manager|active/worker}),
 *       {@code GET /version}, {@code GET /info} (a subset, with {@code Swarm});
 *   <li>{@code GET /services} (filters {@code id}, {@code name}: prefixes; {@code label}:
 *       {@code key} or {@code key=value}; {@code mode}; {@code ?status=true} adds
 *       {@code ServiceStatus}), {@code GET /services/{id|name|id-prefix}},
 *       {@code GET /tasks} (filters {@code service} by ID, name or ID prefix, an unknown one a 404
 *       {@code service X not found}; {@code desired-state}, {@code _up-to-date}, {@code id},
 *       {@code name}, {@code node}); an unknown filter is a 400; on a worker all three are a 503;
 *   <li>{@code GET /events}: a chunked stream, one {@code events.Message} and a newline per chunk,
 *       {@code since}/{@code until} replay the last 256 events as the daemon does. Cluster events
 *       have no legacy {@code status}/{@code id}/{@code from} fields. A create is followed by an
 *       update (SwarmKit's allocator commits the service's virtual IP); a scale's update carries
 *       {@code replicas.old}/{@code replicas.new}; a label change's update only {@code name}.
 * </ul>
 * Scaling down gives the dropped tasks the desired state {@code remove} (SwarmKit's, not
 * {@code shutdown}) and shuts them down; they stay listed until the next scale (the task reaper).
 * Services are attached to one overlay network, {@code proxy}, in 10.0.1.0/24 unless
 * {@link #subnet(String)} says otherwise: these addresses are data only, nothing listens on them.
 */
public final class FakeDockerEngine implements AutoCloseable {

    public static final String API_VERSION = "1.45";
    public static final String MIN_API_VERSION = "1.24";
    public static final String ENGINE_VERSION = "26.1.4";

    final Object lock = new Object();
    final FakeDockerSwarm swarm = new FakeDockerSwarm(Clock.systemUTC());
    final FakeDockerEvents events;
    boolean manager = true;

    private final ServerSocketChannel server;
    private final String dockerHost;
    private final Path socketFile;
    private final FakeDockerApi api = new FakeDockerApi(this);
    private final ScheduledExecutorService timer;
    private final List<String> requests = new ArrayList<>();
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger failures = new AtomicInteger();
    private final Thread acceptor;
    private volatile boolean closed;

    private FakeDockerEngine(ServerSocketChannel server, String dockerHost, Path socketFile) {
        this.server = server;
        this.dockerHost = dockerHost;
        this.socketFile = socketFile;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "fake-docker-timer"));
        this.events = new FakeDockerEvents(timer);
        this.acceptor = daemon(this::acceptLoop, "fake-docker-accept " + dockerHost);
        acceptor.start();
    }

    /** Starts an engine on 127.0.0.1 and an ephemeral port. */
    public static FakeDockerEngine startTcp() {
        try {
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            return new FakeDockerEngine(server, "tcp://127.0.0.1:" + port, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1", e);
        }
    }

    /** Starts an engine on a UNIX socket at {@code socketFile}, replacing a stale socket there. */
    public static FakeDockerEngine startUnix(Path socketFile) {
        requireNonNull(socketFile, "socketFile");
        Path path = socketFile.toAbsolutePath();
        try {
            Files.deleteIfExists(path);
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            return new FakeDockerEngine(server, "unix://" + path, path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on the UNIX socket " + path, e);
        }
    }

    /** {@code tcp://127.0.0.1:PORT} or {@code unix:///absolute/path}, as {@code DOCKER_HOST} takes it. */
    public String dockerHost() {
        return dockerHost;
    }

    /** The swarm node ID of this engine ({@code /info}'s {@code Swarm.NodeID}). */
    public String nodeId() {
        synchronized (lock) {
            return swarm.localNodeId();
        }
    }

    /** Creates a replicated service; its tasks run at once unless {@link #tasksStartRunning(boolean)} said no. */
    public String createService(String name, Map<String, String> labels, int replicas) {
        return create(name, labels, false, replicas);
    }

    /** Creates a global service with one task on each of {@code nodes} nodes. */
    public String createGlobalService(String name, Map<String, String> labels, int nodes) {
        return create(name, labels, true, nodes);
    }

    /** Replaces the labels of a service (a service update: new version, update event with its name only). */
    public void updateLabels(String name, Map<String, String> labels) {
        requireNonNull(labels, "labels");
        synchronized (lock) {
            FakeDockerSwarm.Service s = swarm.named(name);
            swarm.updateLabels(s, labels);
            publish("update", s, Map.of());
        }
    }

    /** Scales a replicated service; the update event carries {@code replicas.old}/{@code replicas.new}. */
    public void scale(String name, int replicas) {
        synchronized (lock) {
            FakeDockerSwarm.Service s = swarm.named(name);
            int old = s.replicas;
            swarm.scale(s, replicas);
            publish("update", s, old == replicas ? Map.of()
                    : Map.of("replicas.old", Integer.toString(old), "replicas.new", Integer.toString(replicas)));
        }
    }

    public void removeService(String name) {
        synchronized (lock) {
            FakeDockerSwarm.Service s = swarm.named(name);
            swarm.remove(s);
            if (manager) {
                events.publish(new FakeDockerEvents.Event("service", "remove", s.id, Map.of("name", s.name),
                        Clock.systemUTC().instant()));
            }
        }
    }

    /** Starts every pending, starting or restarting task of the service (task changes send no service event). */
    public void runTasks(String name) {
        synchronized (lock) {
            swarm.runTasks(swarm.named(name));
        }
    }

    /**
     * Every live task of the service fails (exit code 1, desired state {@code shutdown}); each
     * gets a replacement in the same slot that waits in {@code ready} (its restart delay) until
     * {@link #runTasks(String)}.
     */
    public void failTasks(String name) {
        synchronized (lock) {
            swarm.failTasks(swarm.named(name));
        }
    }

    /** Whether tasks created from now on start {@code running} (the default) or stay {@code starting}. */
    public void tasksStartRunning(boolean running) {
        synchronized (lock) {
            swarm.tasksStartRunning = running;
        }
    }

    /** A manager (the default) or a worker, which refuses cluster reads and sees no service event. */
    public void setManager(boolean manager) {
        synchronized (lock) {
            this.manager = manager;
        }
    }

    /** The overlay network's /24 (default 10.0.1.0/24), for tests that want other addresses; before the first service. */
    public void subnet(String cidr) {
        requireNonNull(cidr, "cidr");
        synchronized (lock) {
            swarm.subnet(cidr);
        }
    }

    /** The virtual IP of a service on the {@code proxy} network, without the prefix length. */
    public String virtualIp(String name) {
        synchronized (lock) {
            return swarm.named(name).virtualIp;
        }
    }

    /** The addresses of the running tasks of a service, without the prefix length. */
    public List<String> runningTaskAddresses(String name) {
        synchronized (lock) {
            return swarm.tasksOf(swarm.named(name)).stream()
                    .filter(t -> t.running() && "running".equals(t.desiredState))
                    .map(t -> t.address).collect(Collectors.toList());
        }
    }

    /** While paused, changes still happen but their events reach no one and are not logged. */
    public void pauseEvents(boolean paused) {
        events.pause(paused);
    }

    /** Cuts every open events connection without a final chunk, as a restarting daemon does. */
    public void dropEventStreams() {
        events.dropAll();
    }

    /** The next {@code n} requests, whatever they ask, get a 500. */
    public void failNextRequests(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n: " + n + " (expected: 0 or more)");
        }
        failures.set(n);
    }

    public int openEventStreams() {
        return events.openStreams();
    }

    /** Every request received, in order: "METHOD PATH?QUERY", the query percent-decoded. */
    public List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public void clearRequests() {
        synchronized (requests) {
            requests.clear();
        }
    }

    /** Stops listening, cuts every connection and stream, and deletes the socket file. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        events.dropAll();
        for (SocketChannel c : connections) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        timer.shutdownNow();
        try {
            acceptor.join(2000);
            if (socketFile != null) {
                Files.deleteIfExists(socketFile);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the socket file " + socketFile, e);
        }
    }

    @Override
    public String toString() {
        return "FakeDockerEngine(" + dockerHost + ")";
    }

    private String create(String name, Map<String, String> labels, boolean global, int count) {
        requireNonNull(labels, "labels");
        synchronized (lock) {
            FakeDockerSwarm.Service s = swarm.create(name, labels, global, count);
            publish("create", s, Map.of());
            swarm.allocate(s);
            publish("update", s, Map.of());
            return s.id;
        }
    }

    /** The event of a service create or update, timed as the daemon times it (the object's own time). */
    private void publish(String action, FakeDockerSwarm.Service s, Map<String, String> extra) {
        if (!manager) {
            return;
        }
        Map<String, String> attributes = new TreeMap<>(extra);
        attributes.put("name", s.name);
        events.publish(new FakeDockerEvents.Event("service", action, s.id, attributes,
                action.equals("create") ? s.createdAt : s.updatedAt));
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (IOException e) {
                return;
            }
            connections.add(c);
            daemon(() -> serve(c), "fake-docker-connection").start();
        }
    }

    private void serve(SocketChannel channel) {
        FakeDockerEvents.Stream stream = null;
        try (FakeDockerHttp.Connection c = new FakeDockerHttp.Connection(channel)) {
            while (!closed) {
                FakeDockerHttp.Request req = c.read();
                if (req == null) {
                    return;
                }
                if (stream != null) {
                    stream.awaitEnd();
                    stream = null;
                }
                synchronized (requests) {
                    requests.add(req.describe());
                }
                int left = failures.getAndUpdate(n -> Math.max(0, n - 1));
                if (left > 0) {
                    api.fail(c, left - 1);
                } else {
                    try {
                        stream = api.handle(req, c);
                    } catch (RuntimeException bug) {
                        api.bug(c, bug);
                        throw bug;
                    }
                }
                if (stream == null && !req.keepAlive()) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client left, or the engine closed the connection
        } catch (RuntimeException bug) {
            new IllegalStateException(this + " failed on a request", bug).printStackTrace();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (stream != null) {
                events.forget(stream);
            }
            connections.remove(channel);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
