package dev.sluice.discovery;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The cluster state behind {@link FakeDockerEngine}: services, their tasks and the one overlay
 * network they are attached to, changed the way SwarmKit's orchestrator changes them. Not
 * thread-safe: the engine holds its lock around every call.
 */
final class FakeDockerSwarm {

    static final String NETWORK_NAME = "proxy";

    /** Task states in SwarmKit's order; a task's state only moves forward. */
    static final List<String> TASK_STATES = List.of("new", "allocated", "pending", "assigned", "accepted",
            "preparing", "ready", "starting", "running", "complete", "shutdown", "failed", "rejected",
            "remove", "orphaned");

    private static final Set<String> TERMINAL = Set.of("complete", "shutdown", "failed", "rejected", "orphaned");

    static final class Service {
        String id;
        String name;
        Map<String, String> labels;
        boolean global;
        int replicas;
        long version;
        Instant createdAt;
        Instant updatedAt;
        String virtualIp;
        /** The allocator picks the virtual IP before the tasks' addresses; it shows once committed. */
        String allocatedIp;

        String image() {
            return "sluice-fake/" + name + ":latest";
        }
    }

    static final class Task {
        String id;
        Service service;
        int slot;
        String nodeId;
        String desiredState;
        String state;
        String message;
        String err;
        long version;
        Instant createdAt;
        Instant updatedAt;
        Instant statusAt;
        String address;
        String containerId;
        int pid;
        int exitCode;

        boolean running() {
            return "running".equals(state);
        }
    }

    private final Clock clock;
    private final Random random = new Random();
    private final List<String> nodeIds = new ArrayList<>();
    private final Map<String, Service> services = new TreeMap<>();
    private final List<Task> tasks = new ArrayList<>();
    final String networkId;
    final Instant networkCreatedAt;
    private String subnetPrefix = "10.0.1.";
    private int nextHost = 2;
    private long index = 10;
    private int nextPid = 4000;
    boolean tasksStartRunning = true;

    FakeDockerSwarm(Clock clock) {
        this.clock = clock;
        this.nodeIds.add(newId());
        this.networkId = newId();
        this.networkCreatedAt = clock.instant();
    }

    String localNodeId() {
        return nodeIds.get(0);
    }

    int nodes() {
        return nodeIds.size();
    }

    String subnet() {
        return subnetPrefix + "0/24";
    }

    void subnet(String cidr) {
        if (!cidr.matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.0/24")) {
            throw new IllegalArgumentException("subnet: " + cidr + " (expected: a /24 such as 10.0.1.0/24)");
        }
        if (nextHost != 2) {
            throw new IllegalStateException("subnet: addresses were already given out in " + subnet()
                    + " (expected: the subnet to be set before the first service)");
        }
        subnetPrefix = cidr.substring(0, cidr.length() - "0/24".length());
    }

    Collection<Service> services() {
        return services.values();
    }

    /** All tasks in SwarmKit's listing order (by ID). */
    List<Task> tasks() {
        return tasks.stream().sorted((a, b) -> a.id.compareTo(b.id)).collect(Collectors.toList());
    }

    List<Task> tasksOf(Service s) {
        return tasks.stream().filter(t -> t.service == s).collect(Collectors.toList());
    }

    /** The engine's look-up of a service: full ID, then full name, then a unique ID prefix. */
    Service lookup(String idOrName) throws FakeDockerApi.ApiError {
        Service byId = services.get(idOrName);
        if (byId != null) {
            return byId;
        }
        for (Service s : services.values()) {
            if (s.name.equals(idOrName)) {
                return s;
            }
        }
        List<Service> prefixed = services.values().stream()
                .filter(s -> s.id.startsWith(idOrName)).collect(Collectors.toList());
        if (prefixed.isEmpty() || idOrName.isEmpty()) {
            throw FakeDockerApi.ApiError.notFound("service " + idOrName + " not found");
        }
        if (prefixed.size() > 1) {
            throw new FakeDockerApi.ApiError(500,
                    "service " + idOrName + " is ambiguous (" + prefixed.size() + " matches found)");
        }
        return prefixed.get(0);
    }

    /** The service a driver method names; a test naming an unknown one is told which exist. */
    Service named(String name) {
        for (Service s : services.values()) {
            if (s.name.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("service: " + name + " (expected one of "
                + services.values().stream().map(s -> s.name).sorted().collect(Collectors.toList()) + ")");
    }

    /** Creates a service and its tasks; the caller then runs {@link #allocate}. */
    Service create(String name, Map<String, String> labels, boolean global, int count) {
        if (name == null || !name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}")) {
            throw new IllegalArgumentException("name: " + name + " (expected: a valid service name)");
        }
        if (services.values().stream().anyMatch(s -> s.name.equals(name))) {
            throw new IllegalStateException("name conflicts with an existing object: service " + name
                    + " already exists");
        }
        if (count < 0 || (global && count == 0)) {
            throw new IllegalArgumentException((global ? "nodes: " : "replicas: ") + count
                    + (global ? " (expected: at least 1)" : " (expected: 0 or more)"));
        }
        Service s = new Service();
        s.id = newId();
        s.name = name;
        s.labels = new TreeMap<>(labels);
        s.global = global;
        s.replicas = global ? 0 : count;
        s.createdAt = clock.instant();
        s.updatedAt = s.createdAt;
        s.version = ++index;
        s.allocatedIp = nextAddress();
        services.put(s.id, s);
        if (global) {
            while (nodeIds.size() < count) {
                nodeIds.add(newId());
            }
            for (int i = 0; i < count; i++) {
                addTask(s, 0, nodeIds.get(i));
            }
        } else {
            for (int slot = 1; slot <= count; slot++) {
                addTask(s, slot, nodeIds.get((slot - 1) % nodeIds.size()));
            }
        }
        return s;
    }

    /** The allocator's commit after a create: the service gets its virtual IP (a service update). */
    void allocate(Service s) {
        s.virtualIp = s.allocatedIp;
        touch(s);
    }

    void updateLabels(Service s, Map<String, String> labels) {
        s.labels = new TreeMap<>(labels);
        touch(s);
    }

    /**
     * Scales a replicated service: new tasks take the lowest free slots; the tasks of the highest
     * slots get the desired state {@code remove} and shut down. Tasks removed by an earlier scale
     * are reaped first, as the task reaper would have by then.
     */
    void scale(Service s, int replicas) {
        if (s.global) {
            throw new IllegalStateException("scale: " + s.name
                    + " is a global service (expected: a replicated one; replicas can only be used with replicated mode)");
        }
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas: " + replicas + " (expected: 0 or more)");
        }
        tasks.removeIf(t -> t.service == s && "remove".equals(t.desiredState));
        List<Task> active = tasksOf(s).stream().filter(t -> !"shutdown".equals(t.desiredState))
                .sorted((a, b) -> Integer.compare(a.slot, b.slot)).collect(Collectors.toList());
        for (int i = replicas; i < active.size(); i++) {
            Task t = active.get(i);
            t.desiredState = "remove";
            setState(t, "shutdown", "shutdown");
        }
        Set<Integer> taken = active.stream().limit(replicas).map(t -> t.slot).collect(Collectors.toSet());
        for (int slot = 1, added = active.size(); added < replicas; slot++) {
            if (taken.add(slot)) {
                addTask(s, slot, nodeIds.get((slot - 1) % nodeIds.size()));
                added++;
            }
        }
        s.replicas = replicas;
        touch(s);
    }

    void remove(Service s) {
        services.remove(s.id);
        tasks.removeIf(t -> t.service == s);
    }

    /** The agents start every task of {@code s} that is meant to run and has not ended. */
    void runTasks(Service s) {
        for (Task t : tasksOf(s)) {
            if (("running".equals(t.desiredState) || "ready".equals(t.desiredState))
                    && !t.running() && !TERMINAL.contains(t.state)) {
                t.desiredState = "running";
                start(t);
            }
        }
    }

    /**
     * Every live task of {@code s} exits with code 1; the restart supervisor shuts it down and
     * puts a replacement in its slot that waits, prepared, for its restart delay (until
     * {@link #runTasks}).
     */
    void failTasks(Service s) {
        for (Task t : tasksOf(s)) {
            if (!"running".equals(t.desiredState) || TERMINAL.contains(t.state)) {
                continue;
            }
            t.exitCode = 1;
            t.err = "task: non-zero exit (1)";
            setState(t, "failed", "started");
            t.desiredState = "shutdown";
            Task replacement = addTask(s, t.slot, t.nodeId);
            replacement.desiredState = "ready";
            replacement.containerId = null;
            replacement.pid = 0;
            setState(replacement, "ready", "prepared");
        }
    }

    private Task addTask(Service s, int slot, String nodeId) {
        Task t = new Task();
        t.id = newId();
        t.service = s;
        t.slot = slot;
        t.nodeId = nodeId;
        t.desiredState = "running";
        t.createdAt = clock.instant();
        t.address = nextAddress();
        tasks.add(t);
        if (tasksStartRunning) {
            start(t);
        } else {
            setState(t, "starting", "starting");
        }
        return t;
    }

    private void start(Task t) {
        t.containerId = newHex(64);
        t.pid = nextPid++;
        setState(t, "running", "started");
    }

    private void setState(Task t, String state, String message) {
        t.state = state;
        t.message = message;
        t.statusAt = clock.instant();
        t.updatedAt = t.statusAt;
        t.version = ++index;
    }

    private void touch(Service s) {
        s.updatedAt = clock.instant();
        s.version = ++index;
    }

    private String nextAddress() {
        if (nextHost > 254) {
            throw new IllegalStateException("the fake's subnet " + subnet()
                    + " has no free address left (expected: at most 253 virtual IPs and tasks)");
        }
        return subnetPrefix + nextHost++;
    }

    /** A SwarmKit identifier: a random 128-bit number in base 36, 25 characters. */
    private String newId() {
        String id = new BigInteger(128, random).toString(36);
        return "0".repeat(25 - id.length()) + id;
    }

    private String newHex(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(Character.forDigit(random.nextInt(16), 16));
        }
        return sb.toString();
    }

    /** Task and service counts of {@code ?status=true}, as SwarmKit's ListServiceStatuses gives them. */
    long[] status(Service s) {
        List<Task> ts = tasksOf(s);
        long running = ts.stream().filter(t -> t.running() && "running".equals(t.desiredState)).count();
        long desired = s.global
                ? ts.stream().filter(t -> "running".equals(t.desiredState)).count()
                : s.replicas;
        return new long[] {running, desired, 0};
    }
}
