package dev.sluice.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.ProxyConfig;
import dev.sluice.routing.service.ServiceDefaults;
import dev.sluice.discovery.ServiceSink;
import dev.sluice.discovery.Source;
import dev.sluice.routing.service.ServiceSpec;
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
    private final List<List<StoredService>> saved = new ArrayList<>();

    /** A service's parameters: {@code name} at {@code /name}, port 8080, then {@code more} as name, value pairs. */
    static Map<String, List<String>> service(String name, String... more) {
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
        return new ServiceRegistry(BASE, () -> BASE, ServiceDefaults.DFP, store, env,
                stored.stream().map(p -> new StoredService(dev.sluice.discovery.Source.API, p)).toList(),
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
            assertThat(saved.get(0)).extracting(StoredService::name).containsExactly("broken", "a", "b");

            assertThat(r.remove("broken").get().status()).isEqualTo(200);
            assertThat(r.snapshot().setAside()).isEmpty();
            assertThat(saved.get(1)).extracting(StoredService::name).containsExactly("a", "b");
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

    @Test
    void reconcile_addsUpdatesAndRemovesOnlyItsSourcesServices_andABadServiceFailsAlone() throws Exception {
        Map<String, List<String>> redis = new LinkedHashMap<>(Map.of("serviceName", List.of("redis"),
                "reqMode", List.of("tcp"), "srcPort", List.of("7379"), "port", List.of("6379")));
        Map<String, List<String>> cache = new LinkedHashMap<>(Map.of("serviceName", List.of("cache"),
                "reqMode", List.of("tcp"), "srcPort", List.of("7379"), "port", List.of("6380")));
        try (ServiceRegistry r = registry(List.of(), List.of(), saved::add)) {
            assertThat(r.reconfigure(service("manual")).get().status()).isEqualTo(200);

            ServiceSink.Reconciled first = r.reconcile(Source.DOCKER, List.of(service("a"), service("b"), redis)).get();
            assertThat(first.added()).containsExactly("a", "b", "redis");
            assertThat(r.snapshot().sources()).containsEntry("a", Source.DOCKER).containsEntry("manual", Source.API);
            assertThat(saved.get(saved.size() - 1)).extracting(StoredService::source)
                    .containsExactly(Source.API, Source.DOCKER, Source.DOCKER, Source.DOCKER);
            long generation = r.table().generation();

            ServiceSink.Reconciled same = r.reconcile(Source.DOCKER, List.of(service("a"), service("b"), redis)).get();
            assertThat(same.changed()).isFalse();
            assertThat(r.table().generation()).isEqualTo(generation);

            ServiceSink.Reconciled second = r.reconcile(Source.DOCKER, List.of(service("a", "servicePath", "/a2"),
                    service("broken", "templateFePath", "/x"), redis, cache)).get();
            assertThat(second.updated()).containsExactly("a");
            assertThat(second.removed()).containsExactly("b");
            assertThat(second.failed()).containsOnlyKeys("broken", "cache");
            assertThat(second.failed().get("cache")).contains("srcPort 7379 is already taken");
            assertThat(r.snapshot().services()).extracting(ServiceSpec::serviceName)
                    .containsExactlyInAnyOrder("manual", "a", "redis");

            // a listed service of another source becomes this source's; an unlisted one of another source stays
            ServiceSink.Reconciled adopt = r.reconcile(Source.DOCKER, List.of(service("manual"))).get();
            assertThat(adopt.removed()).containsExactlyInAnyOrder("a", "redis");
            assertThat(r.snapshot().sources()).containsEntry("manual", Source.DOCKER);
            ServiceSink.Reconciled listener = r.reconcile(Source.LISTENER, List.of()).get();
            assertThat(listener.changed()).isFalse();
            assertThat(r.reconcile(Source.DOCKER, List.of()).get().removed()).containsExactly("manual");
            assertThat(r.snapshot().services()).isEmpty();
        }
    }

    @Test
    void replaceAll_makesTheServicesExactlyThePeersOnes_keepingTheirSources() throws Exception {
        try (ServiceRegistry r = registry(List.of(), List.of(), saved::add)) {
            r.reconfigure(service("old")).get();
            ServiceSink.Reconciled result = r.replaceAll(List.of(new StoredService(Source.DOCKER, service("x")),
                    new StoredService(Source.API, service("y")))).get();
            assertThat(result.added()).containsExactly("x", "y");
            assertThat(result.removed()).containsExactly("old");
            assertThat(r.snapshot().stored()).extracting(StoredService::name, StoredService::source)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("x", Source.DOCKER),
                            org.assertj.core.groups.Tuple.tuple("y", Source.API));
        }
    }
}
