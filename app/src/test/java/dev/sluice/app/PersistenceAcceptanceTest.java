package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.app.SluiceProcess.Answer;
import dev.sluice.proxy.RawHttpClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * An acknowledged change survives {@code kill -9}: Sluice keeps it under STATE_DIR before it
 * answers 200, so a restart on the same STATE_DIR routes exactly what was acknowledged.
 */
class PersistenceAcceptanceTest {

    private static final int SERVICES = 20;
    private static final Set<Integer> REMOVED = Set.of(3, 7, 12, 18);
    /** Reconfigured a second time, to another backend: the second definition is the one kept. */
    private static final int REPLACED = 5;

    @RegisterExtension
    final SluiceProcesses sluices = new SluiceProcesses();

    @TempDir
    Path stateDir;

    private static String name(int i) {
        return String.format("svc-%02d", i);
    }

    @Test
    void everyAcknowledgedChange_isBackAfterSigkillAndRestart() throws Exception {
        try (Origins origins = new Origins()) {
            SluiceProcess first = sluices.start("persistence-before-kill", Map.of(), stateDir);
            for (int i = 1; i <= SERVICES; i++) {
                String name = name(i);
                Answer a = first.get("/v1/docker-flow-proxy/reconfigure?serviceName=" + name + "&servicePath=/" + name
                        + "&port=" + origins.get(name).port() + "&outboundHostname=127.0.0.1");
                assertThat(a.status()).as("reconfigure %s: %s", name, a).isEqualTo(200);
            }
            Answer replaced = first.get("/v1/docker-flow-proxy/reconfigure?serviceName=" + name(REPLACED)
                    + "&servicePath=/" + name(REPLACED) + "&port=" + origins.get(name(REPLACED) + "-new").port()
                    + "&outboundHostname=127.0.0.1");
            assertThat(replaced.status()).as("reconfigure %s again: %s", name(REPLACED), replaced).isEqualTo(200);
            Answer guarded = first.get("/v1/docker-flow-proxy/reconfigure?serviceName=guarded&servicePath=/guarded"
                    + "&port=" + origins.get("guarded").port() + "&outboundHostname=127.0.0.1&users=alice:wonderland");
            assertThat(guarded.status()).as("reconfigure guarded: %s", guarded).isEqualTo(200);
            for (int i : REMOVED) {
                Answer a = first.get("/v1/docker-flow-proxy/remove?serviceName=" + name(i));
                assertThat(a.status()).as("remove %s: %s", name(i), a).isEqualTo(200);
            }
            String hashBefore = first.get("/v1/docker-flow-proxy/ping").json().getString("Hash");

            first.kill();
            assertThat(first.isAlive()).isFalse();
            try (Stream<Path> kept = Files.walk(stateDir)) {
                assertThat(kept.filter(Files::isRegularFile).count()).as("files under STATE_DIR").isPositive();
            }

            // The same ports, as a restarted container has: the hash covers the binds too.
            SluiceProcess second = sluices.start("persistence-after-kill", Map.of(
                    "DEFAULT_PORTS", first.env().get("DEFAULT_PORTS"), "ADMIN_PORT", first.env().get("ADMIN_PORT")),
                    stateDir);
            Map<String, String> expected = new LinkedHashMap<>();
            Map<String, String> actual = new LinkedHashMap<>();
            for (int i = 1; i <= SERVICES; i++) {
                String name = name(i);
                expected.put(name, REMOVED.contains(i) ? "status 503" : i == REPLACED ? name + "-new" : name);
                actual.put(name, Http.servedBy(second.proxyPort(), "/" + name + "/page"));
            }
            assertThat(actual).as("who answers each service's path after the restart").isEqualTo(expected);
            assertThat(Http.get(second.proxyPort(), "/guarded").status())
                    .as("a service with users still asks for them").isEqualTo(401);
            Response withCredentials = Http.get(second.proxyPort(), "/guarded",
                    "Authorization: " + SluiceProcess.basic("alice", "wonderland"));
            assertThat(withCredentials.status()).isEqualTo(200);
            assertThat(withCredentials.header("x-server")).isEqualTo("guarded");
            List<String> acknowledged = expected.entrySet().stream()
                    .filter(e -> !e.getValue().startsWith("status")).map(Map.Entry::getKey)
                    .collect(Collectors.toCollection(ArrayList::new));
            acknowledged.add("guarded");
            List<String> listed = new ArrayList<>(
                    second.get("/v1/docker-flow-proxy/config?type=json").json().getJsonObject("Services").fieldNames());
            assertThat(listed).as("services of config?type=json").containsExactlyInAnyOrderElementsOf(acknowledged);
            assertThat(second.get("/v1/docker-flow-proxy/ping").json().getString("Hash"))
                    .as("the same routing content has the same hash").isEqualTo(hashBefore);
        }
    }

    /**
     * Changes sent by several clients at once queue behind each other and are saved as a group:
     * each is answered 200 only once the group is on disk, so all of them are back after kill -9.
     */
    @Test
    void aBurstFromManyClients_isBackAfterSigkillAndRestart() throws Exception {
        int clients = 8;
        int perClient = 6;
        try (Origins origins = new Origins()) {
            SluiceProcess first = sluices.start("persistence-burst", Map.of(), stateDir);
            List<String> names = new ArrayList<>();
            for (int i = 0; i < clients * perClient; i++) {
                names.add(String.format("burst-%02d", i));
                origins.get(names.get(i));
            }
            ExecutorService threads = Executors.newFixedThreadPool(clients);
            List<Future<List<String>>> sent = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            for (int c = 0; c < clients; c++) {
                List<String> mine = names.subList(c * perClient, (c + 1) * perClient);
                sent.add(threads.submit(() -> {
                    go.await();
                    List<String> refused = new ArrayList<>();
                    for (String name : mine) {
                        Answer a = first.get("/v1/docker-flow-proxy/reconfigure?serviceName=" + name + "&servicePath=/"
                                + name + "&port=" + origins.get(name).port() + "&outboundHostname=127.0.0.1");
                        if (a.status() != 200) {
                            refused.add(name + ": " + a);
                        }
                    }
                    return refused;
                }));
            }
            go.countDown();
            List<String> refused = new ArrayList<>();
            for (Future<List<String>> f : sent) {
                refused.addAll(f.get(60, TimeUnit.SECONDS));
            }
            threads.shutdown();
            assertThat(refused).as("calls not answered 200").isEmpty();

            first.kill();
            SluiceProcess second = sluices.start("persistence-burst-after-kill", Map.of(), stateDir);
            Map<String, String> expected = new LinkedHashMap<>();
            Map<String, String> actual = new LinkedHashMap<>();
            for (String name : names) {
                expected.put(name, name);
                actual.put(name, Http.servedBy(second.proxyPort(), "/" + name + "/page"));
            }
            assertThat(actual).as("who answers each service's path after the restart").isEqualTo(expected);
        }
    }
}
