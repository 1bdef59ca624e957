package dev.sluice.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.ProxyConfig;
import dev.sluice.routing.service.ServiceDefaults;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Restoring stored services, and refusing a change whole when publishing or saving fails. */
class ServiceRegistryTest {

    private static final ProxyConfig BASE = ConfigParser.parse("defaults\n    mode http\nfrontend services\n",
            "base.cfg", Path.of(".")).config();

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final List<List<Map<String, List<String>>>> saved = new ArrayList<>();

    private static Map<String, List<String>> service(String name, String... more) {
        Map<String, List<String>> p = new LinkedHashMap<>();
        p.put("serviceName", List.of(name));
        p.put("servicePath", List.of("/" + name));
        p.put("port", List.of("8080"));
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], List.of(more[i + 1]));
        }
        return p;
    }

    private ServiceRegistry registry(List<Map<String, List<String>>> env, List<Map<String, List<String>>> stored,
                                     ServiceStore store) {
        return new ServiceRegistry(BASE, () -> BASE, ServiceDefaults.DFP, store, env, stored,
                new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @Test
    void storedServicesOverrideEnvironmentOnes_andOneThatNoLongerParsesIsKeptAside() throws Exception {
        try (ServiceRegistry r = registry(List.of(service("a", "servicePath", "/from-env")),
                List.of(service("a"), service("broken", "templateFePath", "/x")), saved::add)) {
            assertThat(r.snapshot().services()).extracting(s -> s.destinations().get(0).servicePath())
                    .containsExactly(List.of("/a"));
            assertThat(r.snapshot().setAside()).containsKey("broken");
            assertThat(r.snapshot().setAside().get("broken")).contains("templateFePath");
            assertThat(log.toString(StandardCharsets.UTF_8)).contains("service 'broken' not restored");

            assertThat(r.reconfigure(service("b")).get().status()).isEqualTo(200);
            assertThat(saved.get(0)).extracting(m -> m.get("serviceName").get(0)).containsExactly("broken", "a", "b");

            assertThat(r.remove("broken").get().status()).isEqualTo(200);
            assertThat(r.snapshot().setAside()).isEmpty();
            assertThat(saved.get(1)).extracting(m -> m.get("serviceName").get(0)).containsExactly("a", "b");
        }
    }

    @Test
    void storedServicesThatNoLongerFitTogether_theLaterOneIsSetAside() throws Exception {
        Map<String, List<String>> first = new LinkedHashMap<>(Map.of("serviceName", List.of("redis"),
                "reqMode", List.of("tcp"), "srcPort", List.of("7379"), "port", List.of("6379")));
        Map<String, List<String>> second = new LinkedHashMap<>(Map.of("serviceName", List.of("cache"),
                "reqMode", List.of("tcp"), "srcPort", List.of("7379"), "port", List.of("6380")));
        try (ServiceRegistry r = registry(List.of(), List.of(first, service("a"), second), saved::add)) {
            assertThat(r.snapshot().services()).extracting(s -> s.serviceName()).containsExactly("redis", "a");
            assertThat(r.snapshot().setAside()).containsKey("cache");
            assertThat(r.snapshot().setAside().get("cache")).contains("srcPort 7379 is already taken", "redis", "cache");
        }
    }

    @Test
    void aChangeThatCannotBeSaved_isRefused_andThePublishedTableIsPutBack() throws Exception {
        List<Long> published = new ArrayList<>();
        try (ServiceRegistry r = registry(List.of(), List.of(), services -> {
            throw new IOException("disk full");
        })) {
            r.attach(table -> published.add(table.generation()));
            long before = r.table().generation();
            Outcome o = r.reconfigure(service("a")).get();
            assertThat(o.status()).isEqualTo(500);
            assertThat((String) o.body().get("Message")).contains("could not be saved", "disk full");
            assertThat(r.table().generation()).isEqualTo(before);
            assertThat(r.snapshot().services()).isEmpty();
            assertThat(published).containsExactly(before + 1, before);
        }
    }

    @Test
    void aChangeThatCannotBePublished_isRefused_andNotSaved() throws Exception {
        try (ServiceRegistry r = registry(List.of(), List.of(), saved::add)) {
            r.attach(table -> {
                throw new IllegalStateException("port 7000 is in use");
            });
            Outcome o = r.reconfigure(service("a")).get();
            assertThat(o.status()).isEqualTo(500);
            assertThat((String) o.body().get("Message")).contains("port 7000 is in use");
            assertThat(saved).isEmpty();
            assertThat(r.snapshot().services()).isEmpty();
        }
    }

    @Test
    void theSameReconfigureTwice_publishesOnce() throws Exception {
        List<Long> published = new ArrayList<>();
        try (ServiceRegistry r = registry(List.of(), List.of(), saved::add)) {
            r.attach(table -> published.add(table.generation()));
            assertThat(r.reconfigure(service("a")).get().status()).isEqualTo(200);
            assertThat(r.reconfigure(service("a")).get().status()).isEqualTo(200);
            assertThat(published).hasSize(1);
        }
    }
}
