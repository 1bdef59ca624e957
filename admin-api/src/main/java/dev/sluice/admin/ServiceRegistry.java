package dev.sluice.admin;

import static java.util.Objects.requireNonNull;

import dev.sluice.routing.RoutingCompiler;
import dev.sluice.routing.RoutingTable;
import dev.sluice.routing.config.ConfigRenderer;
import dev.sluice.routing.config.ProxyConfig;
import dev.sluice.routing.service.ServiceConfigs;
import dev.sluice.routing.service.ServiceDefaults;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The single writer of the routing table: holds the static configuration and every service,
 * and turns each accepted change into a new table. A change is parsed and validated, merged
 * with the static configuration, compiled (live server state carried over), published to the
 * data plane, and saved to the {@link ServiceStore}; only then is it acknowledged. If any step
 * fails, what was published is put back and nothing is saved: the change is refused whole.
 * Changes run one at a time on a thread of their own, never on a Vert.x or proxy event loop.
 */
public final class ServiceRegistry implements AutoCloseable {

    private final ServiceDefaults defaults;
    private final ServiceStore store;
    private final Callable<ProxyConfig> baseLoader;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sluice-admin-writer");
        t.setDaemon(true);
        return t;
    });

    // Written by the writer thread only; read by others through the volatile snapshot.
    private ProxyConfig base;
    private final Map<String, ServiceSpec> services = new LinkedHashMap<>();
    /** Stored services that no longer parse or fit: reported, and kept in the store untouched. */
    private final Map<String, Map<String, List<String>>> setAside = new LinkedHashMap<>();
    private final Map<String, String> setAsideWhy = new LinkedHashMap<>();
    private TablePublisher publisher = table -> { };
    private volatile Snapshot snapshot;

    /** What readers see: the effective configuration, its table, the services. */
    public record Snapshot(ProxyConfig config, RoutingTable table, List<ServiceSpec> services,
                           Map<String, String> setAside) {
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
                           List<Map<String, List<String>>> stored, PrintStream log) {
        this.base = requireNonNull(base, "base");
        this.baseLoader = requireNonNull(baseLoader, "baseLoader");
        this.defaults = requireNonNull(defaults, "defaults");
        this.store = requireNonNull(store, "store");
        List<Map<String, List<String>>> all = new ArrayList<>(fromEnvironment);
        all.addAll(stored);
        Map<String, ServiceSpec> parsed = new LinkedHashMap<>();
        Map<String, Map<String, List<String>>> paramsOf = new LinkedHashMap<>();
        for (Map<String, List<String>> params : all) {
            String name = first(params, "serviceName");
            try {
                ServiceSpec spec = ServiceParser.parse(params, defaults);
                parsed.put(spec.serviceName(), spec);
                paramsOf.put(spec.serviceName(), params);
                setAside.remove(spec.serviceName());
                setAsideWhy.remove(spec.serviceName());
            } catch (ServiceException e) {
                setAside(name, params, e, log);
            }
        }
        try {
            // the usual case: everything fits together, one build
            ServiceConfigs.build(base, parsed.values(), defaults);
            services.putAll(parsed);
        } catch (ServiceException together) {
            // find the services that no longer fit, one at a time
            for (ServiceSpec spec : parsed.values()) {
                Map<String, ServiceSpec> next = new LinkedHashMap<>(services);
                next.put(spec.serviceName(), spec);
                try {
                    ServiceConfigs.build(base, next.values(), defaults);
                    services.put(spec.serviceName(), spec);
                } catch (ServiceException e) {
                    setAside(spec.serviceName(), paramsOf.get(spec.serviceName()), e, log);
                }
            }
        }
        try {
            ProxyConfig config = ServiceConfigs.build(base, services.values(), defaults);
            snapshot = new Snapshot(config, RoutingCompiler.compile(config, null), List.copyOf(services.values()),
                    reasons());
        } catch (ServiceException e) {
            throw new IllegalStateException("services restored one by one no longer fit together", e);
        }
    }

    private void setAside(String name, Map<String, List<String>> params, ServiceException e, PrintStream log) {
        setAside.put(name, params);
        setAsideWhy.put(name, e.getMessage());
        log.println("warning: service '" + name + "' not restored (kept in the state directory): " + e.getMessage());
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
        return CompletableFuture.supplyAsync(() -> doReconfigure(params), writer);
    }

    /** Docker Flow Proxy's {@code remove}. */
    public CompletableFuture<Outcome> remove(String serviceName) {
        return CompletableFuture.supplyAsync(() -> doRemove(serviceName), writer);
    }

    /**
     * Docker Flow Proxy's {@code reload}: reads the static configuration again and rebuilds the
     * table from it and every service ({@code recreate} is the same here: nothing is cached).
     */
    public CompletableFuture<Outcome> reload() {
        return CompletableFuture.supplyAsync(this::doReload, writer);
    }

    private Outcome doReconfigure(Map<String, List<String>> params) {
        String name = first(params, "serviceName");
        ServiceSpec spec;
        try {
            spec = ServiceParser.parse(params, defaults);
        } catch (ServiceException e) {
            return Outcome.error(e.status(), e.getMessage(), name);
        }
        if (spec.replicas() == 0) {
            return doRemove(spec.serviceName());
        }
        Map<String, ServiceSpec> next = new LinkedHashMap<>(services);
        next.put(spec.serviceName(), spec);
        Outcome failed = apply(base, next, spec.serviceName());
        if (failed != null) {
            return failed;
        }
        String message = spec.warnings().isEmpty() ? "" : String.join("; ", spec.warnings());
        return Outcome.ok(message, spec.serviceName(), spec.describe());
    }

    private Outcome doRemove(String serviceName) {
        if (serviceName == null || serviceName.isEmpty()) {
            return Outcome.error(400, "serviceName parameter is mandatory", "");
        }
        if (!services.containsKey(serviceName)) {
            Map<String, List<String>> stored = setAside.remove(serviceName);
            if (stored != null) {
                Outcome failed = apply(base, services, serviceName);
                if (failed != null) {
                    setAside.put(serviceName, stored);
                    return failed;
                }
                setAsideWhy.remove(serviceName);
                return Outcome.ok("removed the stored service that could not be restored", serviceName, Map.of());
            }
            return Outcome.ok("service " + serviceName + " was not configured: nothing to remove", serviceName, Map.of());
        }
        Map<String, ServiceSpec> next = new LinkedHashMap<>(services);
        next.remove(serviceName);
        Outcome failed = apply(base, next, serviceName);
        return failed != null ? failed : Outcome.ok("", serviceName, Map.of());
    }

    private Outcome doReload() {
        ProxyConfig newBase;
        try {
            newBase = baseLoader.call();
        } catch (Exception e) {
            return Outcome.error(500, "the configuration could not be read again, nothing changed: " + e.getMessage(), "");
        }
        Outcome failed = apply(newBase, services, "");
        if (failed != null) {
            return failed;
        }
        base = newBase;
        return Outcome.ok("", "", Map.of());
    }

    /**
     * Builds, compiles, publishes and saves {@code next} on top of {@code newBase}; on success
     * it becomes the registry's state. Returns {@code null} on success, else the error answer.
     */
    private Outcome apply(ProxyConfig newBase, Map<String, ServiceSpec> next, String serviceName) {
        Snapshot current = snapshot;
        ProxyConfig config;
        try {
            config = ServiceConfigs.build(newBase, next.values(), defaults);
        } catch (ServiceException e) {
            return Outcome.error(e.status(), e.getMessage(), serviceName);
        }
        boolean sameRouting = config.equals(current.config());
        RoutingTable table = sameRouting ? current.table() : RoutingCompiler.compile(config, current.table());
        if (!sameRouting) {
            try {
                publisher.publish(table);
            } catch (Exception e) {
                return Outcome.error(500, "the new routing could not be applied, nothing changed: " + e.getMessage(),
                        serviceName);
            }
        }
        try {
            store.save(persistable(next));
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
        services.clear();
        services.putAll(next);
        setAside.keySet().removeIf(next::containsKey);
        setAsideWhy.keySet().removeIf(next::containsKey);
        snapshot = new Snapshot(config, table, List.copyOf(next.values()), reasons());
        return null;
    }

    private List<Map<String, List<String>>> persistable(Map<String, ServiceSpec> next) {
        List<Map<String, List<String>>> out = new ArrayList<>();
        setAside.forEach((name, params) -> {
            if (!next.containsKey(name)) {
                out.add(params);
            }
        });
        next.values().forEach(s -> out.add(s.params()));
        return out;
    }

    private Map<String, String> reasons() {
        Map<String, String> out = new LinkedHashMap<>();
        setAside.keySet().forEach(name -> out.put(name, "stored but not restored: " + setAsideWhy.get(name)));
        return out;
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() || v.get(0) == null ? "" : v.get(0).trim();
    }

    @Override
    public void close() {
        writer.shutdown();
    }
}
