package dev.sluice.admin;

import static dev.sluice.admin.ServiceRegistryTest.service;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.ProxyConfig;
import dev.sluice.routing.service.ServiceDefaults;
import dev.sluice.routing.service.ServiceSpec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Changes that queue while the writer is busy (a stack deployed at once) are applied as one group:
 * one publish, one save, each acknowledged with its own answer once saved; a change that does not
 * fit refuses only itself, and a group never runs past a task that must run alone.
 */
class ServiceRegistryBurstTest {

    private static final ProxyConfig BASE = ConfigParser.parse("defaults\n    mode http\nfrontend services\n",
            "base.cfg", Path.of(".")).config();

    /** A store whose first save once armed waits until {@link #release}: the changes sent meanwhile queue up. */
    private static final class GatedStore implements ServiceStore {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);
        final List<List<String>> saved = Collections.synchronizedList(new ArrayList<>());
        volatile boolean armed;
        volatile IOException failAfterFirst;

        @Override
        public void save(List<StoredService> services) throws IOException {
            if (armed && entered.getCount() > 0) {
                entered.countDown();
                try {
                    gate.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else if (armed && failAfterFirst != null) {
                throw failAfterFirst;
            }
            saved.add(services.stream().map(StoredService::name).toList());
        }

        void release() {
            gate.countDown();
        }
    }

    private final GatedStore store = new GatedStore();
    private final List<Long> published = Collections.synchronizedList(new ArrayList<>());

    private ServiceRegistry registry() {
        ServiceRegistry r = new ServiceRegistry(BASE, () -> BASE, ServiceDefaults.DFP, store, List.of(), List.of(),
                new PrintStream(OutputStream.nullOutputStream()));
        r.attach(table -> published.add(table.generation()));
        return r;
    }

    private static Map<String, List<String>> tcp(String name, String srcPort) {
        return new LinkedHashMap<>(Map.of("serviceName", List.of(name), "reqMode", List.of("tcp"),
                "srcPort", List.of(srcPort), "port", List.of("6379")));
    }

    /** Sends "first" and waits until the writer is inside its save, so what is sent next queues. */
    private CompletableFuture<Outcome> holdTheWriter(ServiceRegistry r) throws InterruptedException {
        store.armed = true;
        CompletableFuture<Outcome> first = r.reconfigure(service("first"));
        assertThat(store.entered.await(10, TimeUnit.SECONDS)).isTrue();
        return first;
    }

    private static List<Integer> statuses(List<CompletableFuture<Outcome>> calls) {
        return calls.stream().map(c -> c.orTimeout(10, TimeUnit.SECONDS).join().status()).toList();
    }

    private static List<String> names(ServiceRegistry r) {
        return r.snapshot().services().stream().map(ServiceSpec::serviceName).toList();
    }

    @Test
    void aBurstIsPublishedAndSavedOnce_andEveryChangeIsAcknowledgedWithItsOwnAnswer() throws Exception {
        try (ServiceRegistry r = registry()) {
            CompletableFuture<Outcome> first = holdTheWriter(r);
            List<CompletableFuture<Outcome>> burst = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                burst.add(r.reconfigure(service("s" + i)));
            }
            burst.add(r.remove("s3"));
            burst.add(r.remove("never-there"));
            burst.add(r.reconfigure(service("s5", "servicePath", "/moved")));
            assertThat(burst).noneMatch(CompletableFuture::isDone); // nothing acknowledged before it is saved
            store.release();

            assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
            assertThat(statuses(burst)).containsOnly(200);
            List<String> answeredFor = new ArrayList<>();
            burst.forEach(c -> answeredFor.add((String) c.join().body().get("ServiceName")));
            List<String> sentFor = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                sentFor.add("s" + i);
            }
            sentFor.addAll(List.of("s3", "never-there", "s5"));
            assertThat(answeredFor).containsExactlyElementsOf(sentFor);
            assertThat((String) burst.get(21).join().body().get("Message")).contains("was not configured");
            assertThat(store.saved).hasSize(2);
            assertThat(published).hasSize(2);
            List<String> expected = new ArrayList<>(List.of("first"));
            for (int i = 0; i < 20; i++) {
                if (i != 3) {
                    expected.add("s" + i);
                }
            }
            assertThat(store.saved.get(1)).containsExactlyElementsOf(expected);
            assertThat(names(r)).containsExactlyElementsOf(expected);
            assertThat(r.snapshot().services().stream().filter(s -> s.serviceName().equals("s5")).findFirst().orElseThrow()
                    .destinations().get(0).servicePath()).containsExactly("/moved");
        }
    }

    @Test
    void aChangeThatDoesNotFitWithTheOthers_refusesOnlyItself() throws Exception {
        try (ServiceRegistry r = registry()) {
            CompletableFuture<Outcome> first = holdTheWriter(r);
            List<CompletableFuture<Outcome>> burst = List.of(
                    r.reconfigure(tcp("redis", "7379")),
                    r.reconfigure(service("x")),
                    r.reconfigure(tcp("cache", "7379")), // the same srcPort as redis
                    r.reconfigure(service("broken", "templateFePath", "/x")), // does not parse
                    r.reconfigure(service("y")));
            store.release();

            first.get(10, TimeUnit.SECONDS);
            assertThat(statuses(burst)).containsExactly(200, 200, 409, 400, 200);
            assertThat((String) burst.get(2).join().body().get("Message")).contains("srcPort 7379 is already taken");
            assertThat(names(r)).containsExactly("first", "redis", "x", "y");
            assertThat(store.saved.get(store.saved.size() - 1)).containsExactly("first", "redis", "x", "y");
        }
    }

    @Test
    void aChangeThatDoesNotParse_doesNotStopTheGroup() throws Exception {
        try (ServiceRegistry r = registry()) {
            CompletableFuture<Outcome> first = holdTheWriter(r);
            List<CompletableFuture<Outcome>> burst = List.of(r.reconfigure(service("x")),
                    r.reconfigure(service("broken", "templateFePath", "/x")), r.reconfigure(service("y")));
            store.release();

            first.get(10, TimeUnit.SECONDS);
            assertThat(statuses(burst)).containsExactly(200, 400, 200);
            assertThat(store.saved).hasSize(2);
            assertThat(store.saved.get(1)).containsExactly("first", "x", "y");
        }
    }

    @Test
    void aBurstThatCannotBeSaved_refusesEveryChange_andThePublishedTableIsPutBack() throws Exception {
        try (ServiceRegistry r = registry()) {
            store.failAfterFirst = new IOException("disk full");
            CompletableFuture<Outcome> first = holdTheWriter(r);
            List<CompletableFuture<Outcome>> burst = List.of(r.reconfigure(service("x")), r.reconfigure(service("y")));
            store.release();

            assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
            long afterFirst = r.table().generation();
            assertThat(statuses(burst)).containsExactly(500, 500);
            assertThat((String) burst.get(0).join().body().get("Message")).contains("could not be saved", "disk full");
            assertThat(names(r)).containsExactly("first");
            assertThat(r.table().generation()).isEqualTo(afterFirst);
            assertThat(published.get(published.size() - 1)).isEqualTo(afterFirst);
        }
    }

    @Test
    void aGroupDoesNotRunPastATaskThatRunsAlone() throws Exception {
        try (ServiceRegistry r = registry()) {
            CompletableFuture<Outcome> first = holdTheWriter(r);
            CompletableFuture<Outcome> x = r.reconfigure(service("x"));
            CompletableFuture<Outcome> reload = r.reload();
            CompletableFuture<Outcome> y = r.reconfigure(service("y"));
            CompletableFuture<Outcome> z = r.reconfigure(service("z"));
            store.release();

            first.get(10, TimeUnit.SECONDS);
            assertThat(statuses(List.of(x, reload, y, z))).containsOnly(200);
            // first; x alone (the reload is next in line); the reload; y and z together
            assertThat(store.saved).containsExactly(List.of("first"), List.of("first", "x"),
                    List.of("first", "x"), List.of("first", "x", "y", "z"));
        }
    }

    @Test
    void eachChangeIsCheckedAgainstTheServicesAsTheChangesBeforeItLeftThem() throws Exception {
        try (ServiceRegistry r = registry()) {
            assertThat(r.reconfigure(tcp("redis", "7379")).get().status()).isEqualTo(200);
            CompletableFuture<Outcome> first = holdTheWriter(r);
            // one at a time, cache is refused (redis holds the port); a later remove does not change that
            CompletableFuture<Outcome> cache = r.reconfigure(tcp("cache", "7379"));
            CompletableFuture<Outcome> removeRedis = r.remove("redis");
            CompletableFuture<Outcome> x = r.reconfigure(service("x"));
            CompletableFuture<Outcome> xAgainWithNoReplicas = r.reconfigure(service("x", "replicas", "0"));
            store.release();

            first.get(10, TimeUnit.SECONDS);
            assertThat(statuses(List.of(cache, removeRedis, x, xAgainWithNoReplicas))).containsExactly(409, 200, 200, 200);
            assertThat(names(r)).containsExactly("first");
            assertThat(store.saved).hasSize(3);
        }
    }

    @Test
    void aLongBurstIsSplitIntoGroupsOfAtMostMaxGroup() throws Exception {
        try (ServiceRegistry r = registry()) {
            CompletableFuture<Outcome> first = holdTheWriter(r);
            List<CompletableFuture<Outcome>> burst = new ArrayList<>();
            for (int i = 0; i < WriterQueue.MAX_GROUP + 2; i++) {
                burst.add(r.reconfigure(service("s" + i)));
            }
            store.release();

            first.get(10, TimeUnit.SECONDS);
            assertThat(statuses(burst)).containsOnly(200);
            assertThat(store.saved).extracting(List::size).containsExactly(1, 1 + WriterQueue.MAX_GROUP, 3 + WriterQueue.MAX_GROUP);
        }
    }
}
