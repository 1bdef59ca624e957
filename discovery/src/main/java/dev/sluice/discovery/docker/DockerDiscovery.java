package dev.sluice.discovery.docker;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.discovery.ControlThreads;
import dev.sluice.discovery.ServiceSink;
import dev.sluice.discovery.Source;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Services from the Docker engine: those labelled {@code com.df.notify=true} become routes
 * from their {@code com.df.*} labels. A full reconcile runs at start, after every reconnect and
 * every {@code interval}, so a missed event never leaves a stale or missing route; between
 * them, the {@code /events} stream makes a change immediate. A created or updated service is
 * applied once one of its tasks runs; removed or scaled to 0, its routes go.
 *
 * <p>Threads: one follows the event stream (blocking reads on the Docker socket); one worker
 * runs every other call and every change, one at a time, so a reconcile and an event never
 * interleave. Neither is an event loop of the proxy.
 */
public final class DockerDiscovery implements AutoCloseable {

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration TASK_POLL = Duration.ofMillis(500);
    private static final Duration TASK_WAIT = Duration.ofMinutes(5);

    private final DockerApi api;
    private final DockerHost host;
    private final ServiceSink sink;
    private final Duration interval;
    private final PrintStream log;
    private final Runnable onChange;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
            ControlThreads.named("sluice-docker"));
    private final Thread events;
    /** Service ID → name of every service this discovery routes (worker thread only, read by status). */
    private final Map<String, String> routed = new ConcurrentHashMap<>();
    private final AtomicReference<AutoCloseable> stream = new AtomicReference<>();
    /** Services whose tasks are being waited for (worker thread only): one poll each, however many events. */
    private final java.util.Set<String> polling = new java.util.HashSet<>();
    private final AtomicReference<DockerStatus> status;
    private volatile boolean closed;

    /**
     * @param onChange called (on the worker) after a change this discovery made to the services,
     *                 for example to hand it to replicas that cannot see the engine
     */
    public DockerDiscovery(DockerHost host, ServiceSink sink, Duration interval, PrintStream log, Runnable onChange) {
        this.host = requireNonNull(host, "host");
        this.sink = requireNonNull(sink, "sink");
        this.interval = requireNonNull(interval, "interval");
        this.log = requireNonNull(log, "log");
        this.onChange = requireNonNull(onChange, "onChange");
        this.api = new DockerApi(host, 10_000);
        this.status = new AtomicReference<>(DockerStatus.starting(host.spec()));
        this.events = ControlThreads.named("sluice-docker-events").newThread(this::follow);
    }

    /** Starts following the engine; the first reconcile runs at once. */
    public DockerDiscovery start() {
        events.start();
        worker.scheduleWithFixedDelay(this::reconcile, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    public DockerStatus status() {
        return status.get();
    }

    /** Runs a full reconcile now (on the worker) and waits for it; for {@code reload} and tests. */
    public void reconcileNow() throws Exception {
        worker.submit(this::reconcile).get();
    }

    private void follow() {
        long backoff = 1000;
        while (!closed) {
            try {
                String version = api.negotiate();
                // events from just before the reconcile on: none falls between the two
                long since = System.currentTimeMillis() / 1000 - 1;
                worker.submit(this::reconcile).get();
                if (status.get().manager()) {
                    status.updateAndGet(s -> s.following(version));
                    backoff = 1000;
                    api.events(since, e -> worker.execute(() -> onEvent(e)), s -> {
                        stream.set(s);
                        if (closed) {
                            closeQuietly(s);
                        }
                    });
                    if (!closed) {
                        log.println("docker discovery: the event stream of " + host + " ended; reconnecting");
                    }
                } else {
                    // a worker node sees no service events; the periodic reconcile notices a promotion
                    sleep(interval.toMillis());
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (closed) {
                    return;
                }
                Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
                        ? e.getCause() : e;
                status.updateAndGet(s -> s.failed(cause.getMessage()));
                log.println("docker discovery: " + cause.getMessage() + "; retrying in " + backoff + " ms");
            }
            if (!sleep(backoff)) {
                return;
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
        }
    }

    private boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return !closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Lists every notify-labelled service with a running task and makes the Docker services exactly those. */
    private void reconcile() {
        if (closed) {
            return;
        }
        try {
            List<Map<String, List<String>>> wanted = new ArrayList<>();
            Map<String, String> names = new java.util.HashMap<>();
            for (JsonNode service : api.notifyServices()) {
                if (!ServiceLabels.notify(service)) {
                    continue;
                }
                String id = ServiceLabels.id(service);
                boolean known = routed.containsKey(id);
                // a new service is routed once a task runs; a routed one stays while it restarts
                if (ServiceLabels.replicas(service) == 0 || (!known && api.runningTasks(id) == 0)) {
                    continue;
                }
                wanted.add(ServiceLabels.params(service));
                names.put(id, ServiceLabels.name(service));
            }
            ServiceSink.Reconciled result = sink.reconcile(Source.DOCKER, wanted).get();
            routed.clear();
            routed.putAll(names);
            result.failed().forEach((name, why) -> log.println("docker discovery: service " + name + ": " + why));
            status.updateAndGet(s -> s.reconciled(wanted.size(), result.failed()));
            if (result.changed()) {
                log.println("docker discovery: reconciled with " + host + ": added " + result.added() + ", updated "
                        + result.updated() + ", removed " + result.removed());
            }
            onChange.run();
        } catch (DockerApi.NotManagerException e) {
            if (status.get().manager()) {
                log.println("docker discovery: " + host + " is not a swarm manager: this replica learns its services "
                        + "from the replicas on manager nodes");
            }
            status.updateAndGet(DockerStatus::notManager);
        } catch (Exception e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
            status.updateAndGet(s -> s.failed(cause.getMessage()));
            log.println("docker discovery: reconcile failed: " + cause.getMessage());
        }
    }

    private void onEvent(JsonNode event) {
        if (closed || !"service".equals(event.path("Type").asText())) {
            return;
        }
        String id = event.path("Actor").path("ID").asText("");
        String action = event.path("Action").asText("");
        try {
            if (action.equals("remove")) {
                String name = routed.remove(id);
                if (name != null) {
                    change(sink.remove(Source.DOCKER, name).get(), name, "removed");
                }
                return;
            }
            JsonNode service = api.service(id);
            if (service == null || !ServiceLabels.notify(service) || ServiceLabels.replicas(service) == 0) {
                String name = routed.remove(id);
                if (name != null) {
                    change(sink.remove(Source.DOCKER, name).get(), name, "removed");
                }
                return;
            }
            if (polling.add(id)) {
                whenRunning(id, System.nanoTime() + TASK_WAIT.toNanos());
            }
        } catch (Exception e) {
            log.println("docker discovery: service event " + action + " " + id + ": " + e.getMessage()
                    + " (the next reconcile repairs it)");
        }
    }

    /** Applies the service once one of its tasks runs, checking again every half second (one poll per service). */
    private void whenRunning(String id, long deadline) {
        boolean again = false;
        try {
            again = pollOnce(id, deadline);
        } finally {
            if (again) {
                worker.schedule(() -> whenRunning(id, deadline), TASK_POLL.toMillis(), TimeUnit.MILLISECONDS);
            } else {
                polling.remove(id);
            }
        }
    }

    /** {@code true} when the service has no running task yet and the poll goes on. */
    private boolean pollOnce(String id, long deadline) {
        if (closed) {
            return false;
        }
        try {
            JsonNode service = api.service(id);
            if (service == null || !ServiceLabels.notify(service)) {
                return false;
            }
            if (api.runningTasks(id) > 0 || routed.containsKey(id)) {
                String name = ServiceLabels.name(service);
                if (change(sink.apply(Source.DOCKER, ServiceLabels.params(service)).get(), name, "applied")) {
                    routed.put(id, name);
                }
                return false;
            }
            if (System.nanoTime() - deadline > 0) {
                log.println("docker discovery: service " + ServiceLabels.name(service) + " has no running task after "
                        + TASK_WAIT.toMinutes() + " minutes; it is routed once one runs (next reconcile)");
                return false;
            }
            return true;
        } catch (Exception e) {
            log.println("docker discovery: service " + id + ": " + e.getMessage() + " (the next reconcile repairs it)");
            return false;
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing anyway
        }
    }

    private boolean change(ServiceSink.Change c, String name, String what) {
        if (!c.ok()) {
            log.println("docker discovery: service " + name + " not " + what + ": " + c.message());
            return false;
        }
        log.println("docker discovery: service " + name + " " + what);
        onChange.run();
        return true;
    }

    @Override
    public void close() {
        closed = true;
        AutoCloseable s = stream.get();
        if (s != null) {
            try {
                s.close();
            } catch (Exception e) {
                // closing anyway
            }
        }
        events.interrupt();
        worker.shutdownNow();
        api.close();
    }
}
