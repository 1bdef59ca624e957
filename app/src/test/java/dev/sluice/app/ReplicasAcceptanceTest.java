package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.app.SluiceProcess.Answer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
 * Three replicas of a global service, as Swarm runs them: real processes whose admin APIs listen
 * on 127.0.0.1, .2 and .3 on the same port, and find each other at {@code tasks.proxy} — resolved
 * by the JVM from a hosts file, as Swarm's DNS would answer it. A change sent to one replica with
 * {@code distribute=true} reaches all; a replica started late takes its peers' services; drift
 * shows on {@code peers} and one call repairs it.
 */
class ReplicasAcceptanceTest {

    @RegisterExtension
    final SluiceProcesses sluices = new SluiceProcesses();

    @TempDir
    Path dir;

    private SluiceProcess replica(String ip, int adminPort, Path hosts) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("ADMIN_BIND", ip);
        env.put("ADMIN_PORT", Integer.toString(adminPort));
        env.put("SERVICE_NAME", "proxy");
        env.put("DISCOVERY", "none");
        // replicas share the admin credentials: fan-out, survey and repair send them
        env.put("ADMIN_USER", "ops");
        env.put("ADMIN_PASS", "s3cret");
        env.put("JAVA_TOOL_OPTIONS", "-Djdk.net.hosts.file=" + hosts);
        env.put("CERTS_DIR", Files.createDirectories(dir.resolve("certs-" + ip)).toString());
        return sluices.start("replica-" + ip, env, Files.createDirectories(dir.resolve("state-" + ip)));
    }

    private static String reconfigure(String name, int port) {
        return "/v1/docker-flow-proxy/reconfigure?serviceName=" + name + "&servicePath=/" + name + "&port=" + port
                + "&outboundHostname=127.0.0.1";
    }

    private static List<String> certNames(SluiceProcess p) throws Exception {
        JsonArray certs = p.get("/v1/docker-flow-proxy/certs").json().getJsonArray("Certs");
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < certs.size(); i++) {
            names.add(certs.getJsonObject(i).getString("ProxyServiceName"));
        }
        return names;
    }

    private static String servicesHash(SluiceProcess p) throws Exception {
        return p.get("/v1/docker-flow-proxy/ping").json().getString("ServicesHash");
    }

    @Test
    void aDistributedChangeReachesEveryReplica_aLateReplicaCatchesUp_andDriftIsRepairedByOneCall() throws Exception {
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n127.0.0.1 tasks.proxy\n"
                + "127.0.0.2 tasks.proxy\n127.0.0.3 tasks.proxy\n");
        int adminPort = SluiceProcess.freePort();
        try (Origins origins = new Origins()) {
            SluiceProcess a = replica("127.0.0.1", adminPort, hosts);
            SluiceProcess b = replica("127.0.0.2", adminPort, hosts);

            // the third replica is not running yet: the answer names it, the other two applied the change
            Answer partial = a.get(reconfigure("web", origins.get("web").port()) + "&distribute=true");
            assertThat(partial.status()).as("%s", partial).isEqualTo(500);
            assertThat(partial.json().getString("Message")).contains("not acknowledged by 1 of 3", "127.0.0.3");
            assertThat(Http.servedBy(a.proxyPort(), "/web/page")).isEqualTo("web");
            assertThat(Http.servedBy(b.proxyPort(), "/web/page")).isEqualTo("web");

            String pem = TestPki.leaf(TestPki.ca("Replicas CA"), "CN=shop.test").pem();
            Answer cert = a.put("/v1/docker-flow-proxy/cert?certName=shop.test&distribute=true", pem);
            assertThat(cert.status()).as("%s", cert).isEqualTo(500);
            assertThat(cert.json().getString("Message")).contains("not acknowledged by 1 of 3", "127.0.0.3");
            assertThat(certNames(b)).contains("shop.test");

            // a replica started late takes its peers' services and certificates before it answers ping
            SluiceProcess c = replica("127.0.0.3", adminPort, hosts);
            assertThat(certNames(c)).contains("shop.test");
            assertThat(dir.resolve("certs-127.0.0.3").resolve("shop.test")).hasContent(pem);
            assertThat(Http.servedBy(c.proxyPort(), "/web/page")).isEqualTo("web");
            assertThat(c.output()).contains("replicas: took the services of 127.0.0.");
            assertThat(servicesHash(c)).isEqualTo(servicesHash(a)).isEqualTo(servicesHash(b));

            Answer all = b.get(reconfigure("api", origins.get("api").port()) + "&distribute=true");
            assertThat(all.status()).as("%s", all).isEqualTo(200);
            assertThat(all.json().getString("Message")).isEqualTo("applied on 3 replica(s)");
            for (SluiceProcess p : List.of(a, b, c)) {
                assertThat(Http.servedBy(p.proxyPort(), "/api/x")).isEqualTo("api");
            }
            long[] millis = new long[20];
            for (int i = 0; i < millis.length; i++) {
                long start = System.nanoTime();
                Answer again = a.get(reconfigure("svc-" + i, origins.get("api").port()) + "&distribute=true");
                millis[i] = (System.nanoTime() - start) / 1_000_000;
                assertThat(again.status()).as("%s", again).isEqualTo(200);
            }
            java.util.Arrays.sort(millis);
            String report = "distribute=true to 3 replicas (each saves to disk before it answers), 20 calls: p50 "
                    + millis[10] + " ms, max " + millis[19] + " ms\n";
            System.out.print(report);
            Files.writeString(Path.of("target", "replicas-distribute.txt"), report);
            assertThat(servicesHash(c)).isEqualTo(servicesHash(a)).isEqualTo(servicesHash(b));

            Answer bad = b.get("/v1/docker-flow-proxy/reconfigure?serviceName=nopath&port=80&distribute=true");
            assertThat(bad.status()).as("a bad change is refused before any replica sees it: %s", bad).isEqualTo(409);

            // drift: a change sent to one replica alone
            assertThat(b.get(reconfigure("stray", origins.get("stray").port())).status()).isEqualTo(200);
            JsonObject peers = a.get("/v1/proxy/peers").json();
            assertThat(peers.getBoolean("Drift")).isTrue();
            JsonArray replicas = peers.getJsonArray("Replicas");
            assertThat(replicas).hasSize(3);
            for (int i = 0; i < 3; i++) {
                JsonObject r = replicas.getJsonObject(i);
                assertThat(r.getBoolean("SameServices")).as("%s", r).isEqualTo(!r.getString("Address").startsWith("127.0.0.2"));
                assertThat(r.getBoolean("Self")).as("%s", r).isEqualTo(r.getString("Address").startsWith("127.0.0.1"));
            }
            assertThat(a.get("/stats").body()).contains("DIFFERENT services");

            JsonObject repaired = a.get("/v1/proxy/peers?repair=true").json();
            assertThat(repaired.getBoolean("Drift")).as("%s", repaired).isFalse();
            assertThat(repaired.getJsonArray("Repaired")).hasSize(1);
            assertThat(Http.get(b.proxyPort(), "/stray/x").status()).isEqualTo(503);
            assertThat(servicesHash(b)).isEqualTo(servicesHash(a)).isEqualTo(servicesHash(c));

            Answer removed = c.get("/v1/docker-flow-proxy/remove?serviceName=api&distribute=true");
            assertThat(removed.status()).as("%s", removed).isEqualTo(200);
            for (SluiceProcess p : List.of(a, b, c)) {
                assertThat(Http.get(p.proxyPort(), "/api/x").status()).isEqualTo(503);
            }
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(a.get("/stats").body()).contains("same services").doesNotContain("DIFFERENT services"));
        }
    }

    @Test
    void distributeWithoutReplicas_appliesHere_andSaysSo() throws Exception {
        try (Origins origins = new Origins()) {
            SluiceProcess alone = sluices.start("alone", Map.of("SERVICE_NAME", "no-such-proxy", "DISCOVERY", "none"),
                    Files.createDirectories(dir.resolve("alone")));

            Answer a = alone.get(reconfigure("web", origins.get("web").port()) + "&distribute=true");

            assertThat(a.status()).as("%s", a).isEqualTo(200);
            assertThat(a.json().getString("Message")).contains("tasks.no-such-proxy does not resolve: applied on this replica only");
            assertThat(Http.servedBy(alone.proxyPort(), "/web/x")).isEqualTo("web");
            assertThat(alone.get("/v1/proxy/peers").json().getString("Message")).contains("does not resolve");
        }
    }
}
