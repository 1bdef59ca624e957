package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.discovery.FakeDockerEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sluice as a global Swarm service learning routes from labels: a replica on a manager node
 * follows a (fake) Docker engine, a replica on a worker node — whose engine cannot list
 * services — gets them from it; both route the same way after create, update, scale to 0,
 * remove, and a removal whose event was missed.
 */
class SwarmDiscoveryAcceptanceTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final SluiceProcesses sluices = new SluiceProcesses();

    @TempDir
    Path dir;

    private SluiceProcess replica(String ip, int adminPort, Path hosts, FakeDockerEngine engine) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("ADMIN_BIND", ip);
        env.put("ADMIN_PORT", Integer.toString(adminPort));
        env.put("DOCKER_HOST", engine.dockerHost());
        env.put("DISCOVERY_INTERVAL", "1");
        // replicas hand each other services through the state endpoint, served only behind credentials
        env.put("ADMIN_USER", "ops");
        env.put("ADMIN_PASS", "s3cret");
        env.put("JAVA_TOOL_OPTIONS", "-Djdk.net.hosts.file=" + hosts);
        return sluices.start("swarm-" + ip, env, Files.createDirectories(dir.resolve("state-" + ip)));
    }

    private static Map<String, String> labels(String path, int port) {
        return Map.of("com.df.notify", "true", "com.df.servicePath", path, "com.df.port", Integer.toString(port),
                "com.df.outboundHostname", "127.0.0.1", "com.df.distribute", "true");
    }

    /** Waits until every replica answers {@code path} as {@code expected}; returns how long it took, in ms. */
    private static long bothServe(List<SluiceProcess> replicas, String path, String expected) {
        long start = System.nanoTime();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            for (SluiceProcess p : replicas) {
                assertThat(Http.servedBy(p.proxyPort(), path)).as("replica %s, %s", p.env().get("ADMIN_BIND"), path)
                        .isEqualTo(expected);
            }
        });
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void aManagerReplicaFollowsTheEngine_andAWorkerReplicaRoutesTheSame() throws Exception {
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n127.0.0.1 tasks.proxy\n"
                + "127.0.0.2 tasks.proxy\n127.0.0.3 tasks.proxy\n");
        int adminPort = SluiceProcess.freePort();
        try (Origins origins = new Origins();
             FakeDockerEngine manager = FakeDockerEngine.startUnix(dir.resolve("manager.sock"));
             FakeDockerEngine worker = FakeDockerEngine.startTcp()) {
            worker.setManager(false);
            int web = origins.get("web").port();
            manager.createService("web", labels("/web", web), 2);

            SluiceProcess onManager = replica("127.0.0.1", adminPort, hosts, manager);
            assertThat(onManager.output()).contains("discovery: docker)");
            // routed before the replica reported ready: the first reconcile ran before the ports opened
            assertThat(Http.servedBy(onManager.proxyPort(), "/web/a")).isEqualTo("web");

            SluiceProcess onWorker = replica("127.0.0.2", adminPort, hosts, worker);
            SluiceProcess onOtherManager = replica("127.0.0.3", adminPort, hosts, manager);
            List<SluiceProcess> both = List.of(onManager, onWorker, onOtherManager);
            bothServe(both, "/web/a", "web");
            assertThat(onWorker.get("/v1/docker-flow-proxy/ping").json().getString("Discovery"))
                    .isEqualTo("docker-not-manager");

            manager.updateLabels("web", labels("/site", web));
            long update = bothServe(both, "/site/a", "web");
            bothServe(both, "/web/a", "status 503");

            int api = origins.get("api").port();
            manager.createService("api", labels("/api", api), 1);
            long create = bothServe(both, "/api/x", "api");
            manager.scale("api", 0);
            long scaleToZero = bothServe(both, "/api/x", "status 503");

            // a removal whose event never came: the periodic reconcile repairs both replicas
            manager.pauseEvents(true);
            manager.removeService("web");
            long missed = bothServe(both, "/site/a", "status 503");
            String report = "swarm convergence (manager replica + worker replica, DISCOVERY_INTERVAL=1)\n"
                    + "  label update -> both route      " + update + " ms\n"
                    + "  create -> both route            " + create + " ms\n"
                    + "  scale to 0 -> both 503          " + scaleToZero + " ms\n"
                    + "  missed remove -> both 503       " + missed + " ms (periodic reconcile)\n";
            System.out.print(report);
            Files.writeString(Path.of("target", "swarm-convergence.txt"), report);

            // every replica routes the same by now; the services each keeps converge too (the worker's
            // come by the manager's push, which may follow the routing by a reconcile)
            String hash = onManager.get("/v1/docker-flow-proxy/ping").json().getString("ServicesHash");
            await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                assertThat(onWorker.get("/v1/docker-flow-proxy/ping").json().getString("ServicesHash"))
                        .as("worker's services hash").isEqualTo(hash);
                assertThat(onOtherManager.get("/v1/docker-flow-proxy/ping").json().getString("ServicesHash"))
                        .as("other manager's services hash").isEqualTo(hash);
            });
            assertThat(onManager.get("/v1/proxy/peers").json().getBoolean("Drift")).isFalse();

            // a service added through the worker's API survives the managers' pushes (they hand over
            // Docker services only), and a service on one manager alone never flaps on the worker
            int local = origins.get("local").port();
            assertThat(onWorker.get("/v1/docker-flow-proxy/reconfigure?serviceName=local&servicePath=/local&port="
                    + local + "&outboundHostname=127.0.0.1").status()).isEqualTo(200);
            assertThat(onOtherManager.get("/v1/docker-flow-proxy/reconfigure?serviceName=mine&servicePath=/mine&port="
                    + local + "&outboundHostname=127.0.0.1").status()).isEqualTo(200);
            String workerHash = onWorker.get("/v1/docker-flow-proxy/ping").json().getString("ServicesHash");
            for (int i = 0; i < 15; i++) {
                Thread.sleep(200);
                assertThat(onWorker.get("/v1/docker-flow-proxy/ping").json().getString("ServicesHash"))
                        .as("the worker's services, %d ms after", (i + 1) * 200).isEqualTo(workerHash);
            }
            assertThat(Http.servedBy(onWorker.proxyPort(), "/local/x")).isEqualTo("local");
        }
    }
}
