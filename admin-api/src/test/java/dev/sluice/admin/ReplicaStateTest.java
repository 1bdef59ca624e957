package dev.sluice.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.discovery.Source;
import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.ProxyConfig;
import dev.sluice.routing.service.ServiceDefaults;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/** What replicas hand each other: taken whole or refused whole, never older than what was taken. */
class ReplicaStateTest {

    private static final ProxyConfig BASE = ConfigParser.parse("defaults\n    mode http\nfrontend services\n",
            "base.cfg", Path.of(".")).config();

    private final ServiceRegistry sender = registry();
    private final ServiceRegistry receiver = registry();

    private static ServiceRegistry registry() {
        return new ServiceRegistry(BASE, () -> BASE, ServiceDefaults.DFP, ServiceStore.NONE, List.of(), List.of(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    private static Map<String, List<String>> service(String name) {
        Map<String, List<String>> p = new LinkedHashMap<>();
        p.put("serviceName", List.of(name));
        p.put("servicePath", List.of("/" + name));
        p.put("port", List.of("8080"));
        return p;
    }

    @AfterEach
    void close() {
        sender.close();
        receiver.close();
    }

    @Test
    void aWholeStateMakesTheReceiverRouteAsTheSender_andAnOlderOneIsRefused() throws Exception {
        sender.reconfigure(service("a")).get();
        sender.reconcile(Source.DOCKER, List.of(service("b"))).get();
        receiver.reconfigure(service("only-here")).get();
        ReplicaState from = new ReplicaState(sender, null);
        ReplicaState to = new ReplicaState(receiver, null);
        byte[] older = from.exportState(false);
        byte[] newer = from.exportState(false);

        assertThat(to.importState(newer).get()).startsWith("added 2, updated 0, removed 1");

        assertThat(to.hash()).isEqualTo(from.hash());
        assertThat(receiver.snapshot().sources()).containsEntry("a", Source.API).containsEntry("b", Source.DOCKER);
        assertThatThrownBy(() -> to.importState(older).get()).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalArgumentException.class).hasMessageContaining("is older than state");
        assertThat(to.hash()).isEqualTo(from.hash());
    }

    @Test
    void aDockerOnlyState_reconcilesTheDockerServices_andKeepsTheReceiversOwn() throws Exception {
        sender.reconfigure(service("api-on-sender")).get();
        sender.reconcile(Source.DOCKER, List.of(service("web"))).get();
        receiver.reconfigure(service("api-on-receiver")).get();
        receiver.reconcile(Source.DOCKER, List.of(service("gone"))).get();

        new ReplicaState(receiver, null).importState(new ReplicaState(sender, null).exportState(true)).get();

        assertThat(receiver.snapshot().sources()).containsOnlyKeys("api-on-receiver", "web");
    }

    @Test
    void aStateWithABadService_isRefusedWhole_andChangesNothing() throws Exception {
        receiver.reconfigure(service("a")).get();
        receiver.reconfigure(service("b")).get();
        ReplicaState to = new ReplicaState(receiver, null);
        String hash = to.hash();

        for (String body : List.of("{\"Services\":[{\"params\":{\"foo\":[\"x\"]}}]}",
                "{\"Services\":[{\"params\":{\"serviceName\":[\"x\"],\"port\":[\"abc\"],\"servicePath\":[\"/x\"]}}]}",
                "{\"Services\":{}}", "[]", "not json")) {
            assertThatThrownBy(() -> to.importState(body.getBytes(StandardCharsets.UTF_8)).get()).as(body)
                    .hasCauseInstanceOf(IllegalArgumentException.class).hasMessageContaining("nothing changed");
        }
        assertThat(to.hash()).isEqualTo(hash);
        assertThat(receiver.snapshot().services()).hasSize(2);
    }
}
