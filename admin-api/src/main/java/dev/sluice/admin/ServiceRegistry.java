package dev.sluice.admin;

import static java.util.Objects.requireNonNull;

import dev.sluice.discovery.ServiceSink;
import dev.sluice.discovery.Source;
import dev.sluice.routing.ContentHash;
import dev.sluice.routing.RoutingCompiler;
import dev.sluice.routing.RoutingTable;
import dev.sluice.routing.config.ConfigRenderer;
import dev.sluice.routing.config.ProxyConfig;
import dev.sluice.routing.service.ServiceConfigs;
import dev.sluice.routing.service.ServiceDefaults;
import dev.sluice.routing.service.ServiceFragments;
import dev.sluice.routing.service.ServiceException;
import dev.sluice.routing.service.ServiceParser;
import dev.sluice.routing.service.ServiceSpec;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * The single writer of the routing table: holds the static configuration and every service,
 * and turns each accepted change into a new table. A change is parsed and validated, merged
 * with the static configuration, compiled (live server state carried over), published to the
 * data plane, and saved to the {@link ServiceStore}; only then is it acknowledged. If any step
 * fails, what was published is put back and nothing is saved: the change is refused whole.
 * Changes run in the order they arrive on a thread of their own ({@link WriterQueue}), never on a
 * Vert.x or proxy event loop. Service changes that queued while it was busy are checked one by
 * one in order, each against the services as the ones before it left them (the answers are those
 * one at a time would give), then compiled, published and saved once and acknowledged together.
 *
 * <p>Every service remembers its {@link Source}, so that a source's full reconcile (Docker
 * labels, a Swarm Listener's list) removes only what that source added.
 */
public final class ServiceRegistry implements ServiceSink, AutoCloseable {

    private final ServiceDefaults defaults;
    private final ServiceStore store;
    private final Callable<ProxyConfig> baseLoader;
    private final WriterQueue writer = new WriterQueue(this::applyGroup);

    // Written by the writer thread only; read by others through the volatile snapshot.
    private ProxyConfig base;
    private final ServiceSet services;
    private final ServiceFragments fragments = new ServiceFragments();
    private TablePublisher publisher = table -> { };
    private volatile Snapshot snapshot;

    /** What readers see: the effective configuration, its table, the services and their sources. */
    public record Snapshot(ProxyConfig config, RoutingTable table, List<ServiceSpec> services,
                           Map<String, Source> sources, Map<String, String> setAside, ContentHash servicesContentHash) {

        /** What replicas compare: a hash of the services' parameters (computed when first read). */
        public String servicesHash() {
            return servicesContentHash.value();
        }

        /** Every service as it is stored: what a peer replica needs to route the same way. */
        public List<StoredService> stored() {
            List<StoredService> out = new ArrayList<>(services.size());
            services.forEach(s -> out.add(new StoredService(sources.getOrDefault(s.serviceName(), Source.API), s.params())));
            return out;
        }
    }

    /**
     * Restores {@code fromEnvironment} ({@code DFP_SERVICE_*}) and then {@code stored} services
     * (a stored one replaces an environment one of the same name) on top of {@code base}. A
     * service that no longer parses or conflicts is reported on {@code log} and set aside (kept
     * in the store), never dropped silently and never stopping the start.
     *
     * @param baseLoader reads the static configuration again, for {@code reload}
     */
    public ServiceRegistry(ProxyConfig base, Callable<ProxyConfig> baseLoader, ServiceDefaults defaults,
                           ServiceStore store, List<Map<String, List<String>>> fromEnvironment,
                           List<StoredService> stored, PrintStream log) {
        this.base = requireNonNull(base, "base");
        this.baseLoader = requireNonNull(baseLoader, "baseLoader");
        this.defaults = requireNonNull(defaults, "defaults");
        this.store = requireNonNull(store, "store");
        List<StoredService> all = new ArrayList<>();
        fromEnvironment.forEach(p -> all.add(new StoredService(Source.ENVIRONMENT, p)));
        all.addAll(stored);
        this.services = ServiceSet.restore(base, defaults, fragments, all,
                (name, why) -> log.println("warning: service '" + name + "' not restored (kept in the state directory): " + why));
        try {
            ProxyConfig config = ServiceConfigs.build(base, services.specs().values(), defaults, fragments);
            snapshot = services.snapshot(config, RoutingCompiler.compile(config, null));
        } catch (ServiceException e) {
            throw new IllegalStateException("services restored one by one no longer fit together", e);
        }
    }

    /** Starts sending accepted tables to {@code publisher} (the data plane, once started). */
    public void attach(TablePublisher publisher) {
        this.publisher = requireNonNull(publisher, "publisher");
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    public RoutingTable table() {
        return snapshot.table();
    }

    /** The effective configuration in HAProxy syntax, passwords hidden. */
    public String renderedConfig() {
        return ConfigRenderer.renderRedacted(snapshot.config());
    }

    /** The service {@code params} describe, read with this registry's defaults; changes nothing. */
    public ServiceSpec parse(Map<String, List<String>> params) throws ServiceException {
        return ServiceParser.parse(params, defaults);
    }

    /** Docker Flow Proxy's {@code reconfigure}; {@code replicas=0} removes the service. */
    public CompletableFuture<Outcome> reconfigure(Map<String, List<String>> params) {
        return reconfigure(Source.API, params);
    }

    /** {@code reconfigure} of a service learned from {@code source}. */
    public CompletableFuture<Outcome> reconfigure(Source source, Map<String, List<String>> params) {
        return writer.change(WriterQueue.ServiceChange.reconfigure(source, params));
    }

    /** Docker Flow Proxy's {@code remove}. */
    public CompletableFuture<Outcome> remove(String serviceName) {
        return writer.change(WriterQueue.ServiceChange.remove(serviceName));
    }

    /**
     * Docker Flow Proxy's {@code reload}: reads the static configuration again and rebuilds the
     * table from it and every service, each parsed again ({@code recreate} is the same here).
     */
    public CompletableFuture<Outcome> reload() {
        return writer.alone(this::doReload);
    }

    /**
     * Makes this replica's services exactly {@code replacement} (a peer's, when this replica
     * starts or is repaired): the ones that do not parse or fit fail alone and are reported.
     */
    public CompletableFuture<Reconciled> replaceAll(List<StoredService> replacement) {
        return writer.alone(() -> doReconcile(null, replacement));
    }

    @Override
    public CompletableFuture<Change> apply(Source source, Map<String, List<String>> params) {
        return reconfigure(source, params).thenApply(ServiceRegistry::change);
    }

    @Override
    public CompletableFuture<Change> remove(Source source, String serviceName) {
        return remove(serviceName).thenApply(ServiceRegistry::change);
    }

    @Override
    public CompletableFuture<Reconciled> reconcile(Source source, List<Map<String, List<String>>> listed) {
        requireNonNull(source, "source");
        List<StoredService> wanted = new ArrayList<>(listed.size());
        listed.forEach(p -> wanted.add(new StoredService(source, p)));
        return writer.alone(() -> doReconcile(source, wanted));
    }

    private static Change change(Outcome o) {
        return new Change(o.status(), String.valueOf(o.body().getOrDefault("Message", "")));
    }

    /**
     * Applies service changes that arrived one after another. Each is made and checked (built)
     * in order on one copy of the services, as it would be alone, so one that does not fit is
     * refused alone; then the copy is compiled, published and saved once for all of them, and
     * each gets its own answer. If that last step fails, or anything unexpected is thrown, the
     * changes are applied again one at a time, in order, each failing only for itself.
     */
    private void applyGroup(List<WriterQueue.ServiceChange> group) {
        if (group.size() > 1) {
            try {
                List<Outcome> answers = applyTogether(group);
                if (answers != null) {
                    for (int i = 0; i < group.size(); i++) {
                        group.get(i).done().complete(answers.get(i));
                    }
                    return;
                }
            } catch (RuntimeException e) {
                // nothing was published or saved: one at a time below, so it fails only its own change
            }
        }
        for (WriterQueue.ServiceChange c : group) {
            try {
                c.done().complete(applyAlone(c));
            } catch (RuntimeException e) {
                c.done().completeExceptionally(e);
            }
        }
    }

    /** Each change's answer, or {@code null} when the group could not be compiled, published or saved. */
    private List<Outcome> applyTogether(List<WriterQueue.ServiceChange> group) {
        ServiceSet next = services.copy();
        ProxyConfig config = null;
        List<Outcome> answers = new ArrayList<>(group.size());
        for (WriterQueue.ServiceChange c : group) {
            ServiceSet trial = next.copy();
            Staged s = stage(trial, c);
            if (s.changes()) {
                try {
                    config = ServiceConfigs.build(base, trial.specs().values(), defaults, fragments);
                    next = trial;
                } catch (ServiceException e) {
                    s = new Staged(Outcome.error(e.status(), e.getMessage(), s.serviceName()), false, s.serviceName());
                }
            }
            answers.add(s.answer());
        }
        return config == null || commit(base, next, config, "") == null ? answers : null;
    }

    private Outcome applyAlone(WriterQueue.ServiceChange change) {
        ServiceSet next = services.copy();
        Staged s = stage(next, change);
        if (!s.changes()) {
            return s.answer();
        }
        Outcome failed = apply(base, next, s.serviceName());
        return failed != null ? failed : s.answer();
    }

    /** What one change did to a copy of the services, and its answer if the copy is applied. */
    private record Staged(Outcome answer, boolean changes, String serviceName) {
    }

    /** Makes {@code change} on {@code next}; a change that fails to parse leaves it as it was. */
    private Staged stage(ServiceSet next, WriterQueue.ServiceChange change) {
        if (change.params() == null) {
            return stageRemove(next, change.removeName());
        }
        String name = ServiceSet.first(change.params(), "serviceName");
        ServiceSpec spec;
        try {
            spec = ServiceParser.parse(change.params(), defaults);
        } catch (ServiceException e) {
            return new Staged(Outcome.error(e.status(), e.getMessage(), name), false, name);
        }
        if (spec.replicas() == 0) {
            return stageRemove(next, spec.serviceName());
        }
        next.put(spec, change.source());
        String message = spec.warnings().isEmpty() ? "" : String.join("; ", spec.warnings());
        return new Staged(Outcome.ok(message, spec.serviceName(), spec.describe()), true, spec.serviceName());
    }

    private static Staged stageRemove(ServiceSet next, String serviceName) {
        if (serviceName == null || serviceName.isEmpty()) {
            return new Staged(Outcome.error(400, "serviceName parameter is mandatory", ""), false, "");
        }
        boolean wasSetAside = !next.specs().containsKey(serviceName);
        if (!next.remove(serviceName)) {
            return new Staged(Outcome.ok("service " + serviceName + " was not configured: nothing to remove",
                    serviceName, Map.of()), false, serviceName);
        }
        return new Staged(Outcome.ok(wasSetAside ? "removed the stored service that could not be restored" : "",
                serviceName, Map.of()), true, serviceName);
    }

    private Outcome doReload() {
        ProxyConfig newBase;
        try {
            newBase = baseLoader.call();
        } catch (Exception e) {
            return Outcome.error(500, "the configuration could not be read again, nothing changed: " + e.getMessage(), "");
        }
        fragments.clear(); // every service parsed again: the error pages its lines name are read again
        Outcome failed = apply(newBase, services.copy(), "");
        if (failed != null) {
            return failed;
        }
        base = newBase;
        return Outcome.ok("", "", Map.of());
    }

    /** {@code source == null}: replace every service; else reconcile that source's services. */
    private Reconciled doReconcile(Source source, List<StoredService> wanted) {
        ServiceSet.Plan plan = services.plan(base, defaults, fragments, source, wanted);
        if (!plan.changesAnything()) {
            return plan.report();
        }
        Outcome failed = apply(base, plan.next(), "");
        if (failed != null) {
            Map<String, String> all = new LinkedHashMap<>(plan.report().failed());
            all.put("", "nothing changed: " + failed.body().get("Message"));
            return new Reconciled(List.of(), List.of(), List.of(), all);
        }
        return plan.report();
    }

    /**
     * Builds, compiles, publishes and saves {@code next} on top of {@code newBase}; on success
     * it becomes the registry's state. Returns {@code null} on success, else the error answer.
     */
    private Outcome apply(ProxyConfig newBase, ServiceSet next, String serviceName) {
        ProxyConfig config;
        try {
            config = ServiceConfigs.build(newBase, next.specs().values(), defaults, fragments);
        } catch (ServiceException e) {
            return Outcome.error(e.status(), e.getMessage(), serviceName);
        }
        return commit(newBase, next, config, serviceName);
    }

    /** {@link #apply} once {@code config} is built from {@code newBase} and {@code next}. */
    private Outcome commit(ProxyConfig newBase, ServiceSet next, ProxyConfig config, String serviceName) {
        Snapshot current = snapshot;
        // the same services on the same base build the same configuration: no deep comparison
        // of two whole configurations (a tenth of a change's CPU with 100 services)
        boolean sameRouting = newBase == base ? next.sameServicesAs(services) : config.equals(current.config());
        RoutingTable table = current.table();
        if (!sameRouting) {
            try {
                table = RoutingCompiler.compile(config, current.config(), current.table());
            } catch (IllegalArgumentException e) {
                return Outcome.error(400, "the routing does not compile, nothing changed: " + e.getMessage(), serviceName);
            }
            try {
                publisher.publish(table);
            } catch (Exception e) {
                return Outcome.error(500, "the new routing could not be applied, nothing changed: " + e.getMessage(),
                        serviceName);
            }
        }
        try {
            store.save(next.persistable());
        } catch (Exception e) {
            if (!sameRouting) {
                try {
                    publisher.publish(current.table());
                } catch (Exception again) {
                    e.addSuppressed(again);
                }
            }
            return Outcome.error(500, "the change could not be saved, nothing changed: " + e.getMessage(), serviceName);
        }
        services.replaceWith(next);
        snapshot = services.snapshot(config, table);
        return null;
    }

    @Override
    public void close() {
        writer.close();
    }
}
