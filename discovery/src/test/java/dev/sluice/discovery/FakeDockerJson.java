package dev.sluice.discovery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON shapes of Docker Engine API 1.45 (Docker 26.1), field for field as the engine's Go
 * types marshal them: field order of the structs, map keys sorted, {@code omitempty} fields left
 * out when empty, times in Go's RFC 3339 with nanoseconds (trailing zeros cut).
 */
final class FakeDockerJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private FakeDockerJson() {
    }

    /** Go's {@code time.RFC3339Nano} of an instant in UTC. */
    static String time(Instant t) {
        StringBuilder sb = new StringBuilder(SECONDS.format(t));
        if (t.getNano() != 0) {
            String nanos = String.format("%09d", t.getNano()).replaceFirst("0+$", "");
            sb.append('.').append(nanos);
        }
        return sb.append('Z').toString();
    }

    static ObjectNode service(FakeDockerSwarm swarm, FakeDockerSwarm.Service s, boolean withStatus) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("ID", s.id);
        meta(n, s.version, s.createdAt, s.updatedAt);
        ObjectNode spec = n.putObject("Spec");
        spec.put("Name", s.name);
        labels(spec, s.labels);
        spec.set("TaskTemplate", taskTemplate(swarm, s));
        ObjectNode mode = spec.putObject("Mode");
        if (s.global) {
            mode.putObject("Global");
        } else {
            mode.putObject("Replicated").put("Replicas", s.replicas);
        }
        spec.set("UpdateConfig", updateConfig());
        spec.set("RollbackConfig", updateConfig());
        spec.putObject("EndpointSpec").put("Mode", "vip");
        ObjectNode endpoint = n.putObject("Endpoint");
        endpoint.putObject("Spec").put("Mode", "vip");
        if (s.virtualIp != null) {
            endpoint.putArray("VirtualIPs").addObject()
                    .put("NetworkID", swarm.networkId)
                    .put("Addr", s.virtualIp + "/24");
        }
        if (withStatus) {
            long[] status = swarm.status(s);
            n.putObject("ServiceStatus")
                    .put("RunningTasks", status[0])
                    .put("DesiredTasks", status[1])
                    .put("CompletedTasks", status[2]);
        }
        return n;
    }

    static ObjectNode task(FakeDockerSwarm swarm, FakeDockerSwarm.Task t) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("ID", t.id);
        meta(n, t.version, t.createdAt, t.updatedAt);
        labels(n, Map.of());
        n.set("Spec", taskTemplate(swarm, t.service));
        n.put("ServiceID", t.service.id);
        if (t.slot != 0) {
            n.put("Slot", t.slot);
        }
        if (t.nodeId != null) {
            n.put("NodeID", t.nodeId);
        }
        ObjectNode status = n.putObject("Status");
        status.put("Timestamp", time(t.statusAt));
        status.put("State", t.state);
        status.put("Message", t.message);
        if (t.err != null) {
            status.put("Err", t.err);
        }
        ObjectNode container = status.putObject("ContainerStatus");
        if (t.containerId != null) {
            container.put("ContainerID", t.containerId);
        }
        if (t.running() && t.pid != 0) {
            container.put("PID", t.pid);
        }
        if (t.exitCode != 0) {
            container.put("ExitCode", t.exitCode);
        }
        status.putObject("PortStatus");
        n.put("DesiredState", t.desiredState);
        ObjectNode attachment = n.putArray("NetworksAttachments").addObject();
        attachment.set("Network", network(swarm));
        attachment.putArray("Addresses").add(t.address + "/24");
        return n;
    }

    static ObjectNode version() {
        ObjectNode n = MAPPER.createObjectNode();
        n.putObject("Platform").put("Name", "Docker Engine - Community");
        ArrayNode components = n.putArray("Components");
        ObjectNode engine = components.addObject();
        engine.put("Name", "Engine").put("Version", FakeDockerEngine.ENGINE_VERSION);
        engine.putObject("Details")
                .put("ApiVersion", FakeDockerEngine.API_VERSION)
                .put("Arch", "amd64")
                .put("BuildTime", "2024-06-05T11:31:36.000000000+00:00")
                .put("Experimental", "false")
                .put("GitCommit", "de5c9cf")
                .put("GoVersion", "go1.21.11")
                .put("KernelVersion", "6.1.0-21-amd64")
                .put("MinAPIVersion", FakeDockerEngine.MIN_API_VERSION)
                .put("Os", "linux");
        n.put("Version", FakeDockerEngine.ENGINE_VERSION);
        n.put("ApiVersion", FakeDockerEngine.API_VERSION);
        n.put("MinAPIVersion", FakeDockerEngine.MIN_API_VERSION);
        n.put("GitCommit", "de5c9cf");
        n.put("GoVersion", "go1.21.11");
        n.put("Os", "linux");
        n.put("Arch", "amd64");
        n.put("KernelVersion", "6.1.0-21-amd64");
        n.put("BuildTime", "2024-06-05T11:31:36.000000000+00:00");
        return n;
    }

    /** A subset of {@code GET /info}: the engine's identity and its {@code Swarm} section. */
    static ObjectNode info(FakeDockerSwarm swarm, boolean manager) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("ID", "FAKE:ENGINE:" + swarm.localNodeId().substring(0, 12).toUpperCase());
        n.put("Containers", 0);
        n.put("Name", "sluice-fake-engine");
        n.put("ServerVersion", FakeDockerEngine.ENGINE_VERSION);
        n.put("OperatingSystem", "Debian GNU/Linux 12 (bookworm)");
        n.put("OSType", "linux");
        n.put("Architecture", "x86_64");
        ObjectNode s = n.putObject("Swarm");
        s.put("NodeID", swarm.localNodeId());
        s.put("NodeAddr", "192.0.2.10");
        s.put("LocalNodeState", "active");
        s.put("ControlAvailable", manager);
        s.put("Error", "");
        s.putArray("RemoteManagers").addObject()
                .put("NodeID", manager ? swarm.localNodeId() : "manager000000000000000001")
                .put("Addr", manager ? "192.0.2.10:2377" : "192.0.2.11:2377");
        if (manager) {
            s.put("Nodes", swarm.nodes());
            s.put("Managers", 1);
            ObjectNode cluster = s.putObject("Cluster");
            cluster.put("ID", swarm.networkId);
            meta(cluster, 10, swarm.networkCreatedAt, swarm.networkCreatedAt);
            labels(cluster.putObject("Spec").put("Name", "default"), Map.of());
        }
        return n;
    }

    private static ObjectNode taskTemplate(FakeDockerSwarm swarm, FakeDockerSwarm.Service s) {
        ObjectNode t = MAPPER.createObjectNode();
        t.putObject("ContainerSpec").put("Image", s.image()).put("Isolation", "default");
        ObjectNode resources = t.putObject("Resources");
        resources.putObject("Limits");
        resources.putObject("Reservations");
        t.putObject("RestartPolicy").put("Condition", "any").put("Delay", 5_000_000_000L).put("MaxAttempts", 0);
        t.putObject("Placement");
        t.putArray("Networks").addObject().put("Target", swarm.networkId);
        t.put("ForceUpdate", 0);
        t.put("Runtime", "container");
        return t;
    }

    private static ObjectNode network(FakeDockerSwarm swarm) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("ID", swarm.networkId);
        meta(n, 9, swarm.networkCreatedAt, swarm.networkCreatedAt);
        ObjectNode spec = n.putObject("Spec");
        spec.put("Name", FakeDockerSwarm.NETWORK_NAME);
        labels(spec, Map.of());
        spec.putObject("DriverConfiguration").put("Name", "overlay");
        spec.put("Scope", "swarm");
        ObjectNode driverState = n.putObject("DriverState");
        driverState.put("Name", "overlay");
        driverState.putObject("Options").put("com.docker.network.driver.overlay.vxlanid_list", "4097");
        ObjectNode ipam = n.putObject("IPAMOptions");
        ipam.putObject("Driver").put("Name", "default");
        String subnet = swarm.subnet();
        ipam.putArray("Configs").addObject()
                .put("Subnet", subnet)
                .put("Gateway", subnet.substring(0, subnet.length() - "0/24".length()) + "1");
        return n;
    }

    private static ObjectNode updateConfig() {
        return MAPPER.createObjectNode()
                .put("Parallelism", 1)
                .put("FailureAction", "pause")
                .put("Monitor", 5_000_000_000L)
                .put("MaxFailureRatio", 0)
                .put("Order", "stop-first");
    }

    private static void meta(ObjectNode n, long version, Instant created, Instant updated) {
        n.putObject("Version").put("Index", version);
        n.put("CreatedAt", time(created));
        n.put("UpdatedAt", time(updated));
    }

    private static void labels(ObjectNode n, Map<String, String> labels) {
        ObjectNode l = n.putObject("Labels");
        new TreeMap<>(labels).forEach(l::put);
    }
}
