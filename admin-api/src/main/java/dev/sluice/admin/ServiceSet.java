package dev.sluice.admin;

import dev.sluice.discovery.ServiceSink.Reconciled;
import dev.sluice.discovery.Source;
import dev.sluice.routing.RoutingTable;
import dev.sluice.routing.config.ProxyConfig;
import dev.sluice.routing.service.ServiceConfigs;
import dev.sluice.routing.ContentHash;
import dev.sluice.routing.service.ServiceDefaults;
import dev.sluice.routing.service.ServiceFragments;
import dev.sluice.routing.service.ServiceException;
import dev.sluice.routing.service.ServiceParser;
import dev.sluice.routing.service.ServiceSpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The services of a {@link ServiceRegistry} with their sources, plus the stored ones that could
 * not be restored (set aside: reported and kept in the store, never dropped silently). Mutable;
 * confined to the registry's writer thread, which works on a {@link #copy} and swaps it in once
 * the change is published and saved.
 */
final class ServiceSet {

    private final Map<String, ServiceSpec> specs = new LinkedHashMap<>();
    private final Map<String, Source> sources = new LinkedHashMap<>();
    private final Map<String, StoredService> setAside = new LinkedHashMap<>();
    private final Map<String, String> setAsideWhy = new LinkedHashMap<>();

    /** What a reconcile would do: the next set and the report (computed, nothing applied yet). */
    record Plan(ServiceSet next, Reconciled report, boolean changesAnything) {
    }

    /**
     * The services {@code stored} describe, in order, a later one replacing an earlier one of the
     * same name; those that do not parse, or do not fit with the ones before them, are set aside.
     */
    static ServiceSet restore(ProxyConfig base, ServiceDefaults defaults, ServiceFragments fragments,
                              List<StoredService> stored, BiConsumer<String, String> warn) {
        ServiceSet parsed = new ServiceSet();
        for (StoredService s : stored) {
            try {
                parsed.put(ServiceParser.parse(s.params(), defaults), s.source());
            } catch (ServiceException e) {
                parsed.setAside(s, e.getMessage());
                warn.accept(s.name(), e.getMessage());
            }
        }
        try {
            // the usual case: everything fits together, one build
            ServiceConfigs.build(base, parsed.specs.values(), defaults, fragments);
            return parsed;
        } catch (ServiceException together) {
            // find the services that no longer fit, one at a time
            ServiceSet out = new ServiceSet();
            out.setAside.putAll(parsed.setAside);
            out.setAsideWhy.putAll(parsed.setAsideWhy);
            for (ServiceSpec spec : parsed.specs.values()) {
                ServiceSet trial = out.copy();
                trial.put(spec, parsed.sources.get(spec.serviceName()));
                try {
                    ServiceConfigs.build(base, trial.specs.values(), defaults, fragments);
                    out.replaceWith(trial);
                } catch (ServiceException e) {
                    out.setAside(new StoredService(parsed.sources.get(spec.serviceName()), spec.params()), e.getMessage());
                    warn.accept(spec.serviceName(), e.getMessage());
                }
            }
            return out;
        }
    }

    Map<String, ServiceSpec> specs() {
        return Collections.unmodifiableMap(specs);
    }

    /** The same services with the same parameters as {@code other}, in the same order (sources aside). */
    boolean sameServicesAs(ServiceSet other) {
        if (specs.size() != other.specs.size()) {
            return false;
        }
        var mine = specs.entrySet().iterator();
        var theirs = other.specs.entrySet().iterator();
        while (mine.hasNext()) {
            var a = mine.next();
            var b = theirs.next();
            if (!a.getKey().equals(b.getKey()) || a.getValue() != b.getValue() && !a.getValue().equals(b.getValue())) {
                return false;
            }
        }
        return true;
    }

    ServiceSet copy() {
        ServiceSet c = new ServiceSet();
        c.replaceWith(this);
        return c;
    }

    void replaceWith(ServiceSet other) {
        if (other == this) {
            return;
        }
        specs.clear();
        specs.putAll(other.specs);
        sources.clear();
        sources.putAll(other.sources);
        setAside.clear();
        setAside.putAll(other.setAside);
        setAsideWhy.clear();
        setAsideWhy.putAll(other.setAsideWhy);
    }

    void put(ServiceSpec spec, Source source) {
        specs.put(spec.serviceName(), spec);
        sources.put(spec.serviceName(), source);
        setAside.remove(spec.serviceName());
        setAsideWhy.remove(spec.serviceName());
    }

    /** Removes a service, or a set-aside stored one; {@code false} when there was neither. */
    boolean remove(String name) {
        boolean had = specs.remove(name) != null | setAside.remove(name) != null;
        sources.remove(name);
        setAsideWhy.remove(name);
        return had;
    }

    private void setAside(StoredService s, String why) {
        setAside.put(s.name(), s);
        setAsideWhy.put(s.name(), why);
    }

    /** What the store keeps: the set-aside services untouched, then the services in order. */
    List<StoredService> persistable() {
        List<StoredService> out = new ArrayList<>();
        setAside.forEach((name, s) -> {
            if (!specs.containsKey(name)) {
                out.add(s);
            }
        });
        specs.values().forEach(s -> out.add(new StoredService(sources.get(s.serviceName()), s.params())));
        return out;
    }

    ServiceRegistry.Snapshot snapshot(ProxyConfig config, RoutingTable table) {
        Map<String, String> reasons = new LinkedHashMap<>();
        setAsideWhy.forEach((name, why) -> reasons.put(name, "stored but not restored: " + why));
        Map<String, ServiceSpec> byName = new java.util.TreeMap<>(specs);
        return new ServiceRegistry.Snapshot(config, table, List.copyOf(specs.values()), Map.copyOf(sources), reasons,
                ContentHash.lazy(() -> servicesHash(byName)));
    }

    /**
     * What replicas compare: the first 16 hex digits of SHA-256 over the services' parameters in
     * name order. The table's hash also covers what is each replica's own (its ports, its
     * configuration file), so two replicas with the same services can differ there.
     */
    private static String servicesHash(Map<String, ServiceSpec> byName) {
        java.security.MessageDigest sha;
        try {
            sha = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byName.forEach((name, spec) -> {
            sha.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            new java.util.TreeMap<>(spec.params()).forEach((k, values) -> {
                sha.update((byte) 1);
                sha.update(k.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                for (String v : values) {
                    sha.update((byte) 2);
                    sha.update(String.valueOf(v).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            });
            sha.update((byte) 0);
        });
        return java.util.HexFormat.of().formatHex(sha.digest(), 0, 8);
    }

    /**
     * Plans a reconcile: {@code wanted} added or replaced, and the services of {@code source}
     * (of every source when {@code source} is {@code null}) that {@code wanted} does not list
     * removed. A wanted service that does not parse keeps its current version; one that does
     * not fit with the others fails alone.
     */
    Plan plan(ProxyConfig base, ServiceDefaults defaults, ServiceFragments fragments, Source source,
              List<StoredService> wanted) {
        Map<String, String> failed = new LinkedHashMap<>();
        Set<String> keep = new HashSet<>();
        Map<String, StoredService> changed = new LinkedHashMap<>();
        Map<String, ServiceSpec> parsed = new LinkedHashMap<>();
        boolean sourceOnly = false;
        for (StoredService w : wanted) {
            keep.add(w.name());
            ServiceSpec spec;
            try {
                spec = ServiceParser.parse(w.params(), defaults);
            } catch (ServiceException e) {
                failed.put(w.name().isEmpty() ? "(no serviceName)" : w.name(), e.getMessage());
                continue;
            }
            if (spec.replicas() == 0) {
                keep.remove(spec.serviceName());
                continue;
            }
            ServiceSpec old = specs.get(spec.serviceName());
            if (old != null && old.params().equals(spec.params())) {
                sourceOnly |= sources.get(spec.serviceName()) != w.source();
                if (sources.get(spec.serviceName()) == w.source()) {
                    continue;
                }
            }
            changed.put(spec.serviceName(), w);
            parsed.put(spec.serviceName(), spec);
        }
        ServiceSet next = copy();
        List<String> removed = new ArrayList<>();
        for (String name : new ArrayList<>(allNames())) {
            if (!keep.contains(name) && (source == null || sourceOf(name) == source)) {
                next.remove(name);
                removed.add(name);
            }
        }
        ServiceSet together = next.copy();
        changed.forEach((name, w) -> together.put(parsed.get(name), w.source()));
        if (fits(base, defaults, fragments, together)) {
            next = together;
        } else {
            for (Map.Entry<String, StoredService> e : changed.entrySet()) {
                ServiceSet trial = next.copy();
                trial.put(parsed.get(e.getKey()), e.getValue().source());
                try {
                    ServiceConfigs.build(base, trial.specs.values(), defaults, fragments);
                    next = trial;
                } catch (ServiceException ex) {
                    failed.put(e.getKey(), ex.getMessage());
                }
            }
        }
        List<String> added = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        for (String name : changed.keySet()) {
            if (failed.containsKey(name) || !next.specs.containsKey(name)) {
                continue;
            }
            ServiceSpec old = specs.get(name);
            if (old == null) {
                added.add(name);
            } else if (!old.params().equals(next.specs.get(name).params())) {
                updated.add(name);
            }
        }
        Reconciled report = new Reconciled(added, updated, removed, failed);
        return new Plan(next, report, report.changed() || sourceOnly);
    }

    private Set<String> allNames() {
        Set<String> names = new java.util.LinkedHashSet<>(specs.keySet());
        names.addAll(setAside.keySet());
        return names;
    }

    private Source sourceOf(String name) {
        Source s = sources.get(name);
        if (s == null) {
            StoredService aside = setAside.get(name);
            s = aside == null ? Source.API : aside.source();
        }
        return s;
    }

    private static boolean fits(ProxyConfig base, ServiceDefaults defaults, ServiceFragments fragments, ServiceSet set) {
        try {
            ServiceConfigs.build(base, set.specs.values(), defaults, fragments);
            return true;
        } catch (ServiceException e) {
            return false;
        }
    }

    static String first(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() || v.get(0) == null ? "" : v.get(0).trim();
    }
}
