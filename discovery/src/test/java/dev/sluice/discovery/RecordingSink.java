package dev.sluice.discovery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A sink that keeps services in memory by name with their source, as the routing table's
 * writer would (without routing): what discovery tests assert on. A service named
 * {@code refuse-*} is refused with 400, as a bad one would be.
 */
public final class RecordingSink implements ServiceSink {

    private final Map<String, Map<String, List<String>>> services = new LinkedHashMap<>();
    private final Map<String, Source> sources = new LinkedHashMap<>();
    private final List<String> calls = new ArrayList<>();

    public synchronized Map<String, Map<String, List<String>>> services() {
        return new LinkedHashMap<>(services);
    }

    public synchronized Source sourceOf(String name) {
        return sources.get(name);
    }

    /** "apply NAME", "remove NAME", "reconcile SOURCE N" in order. */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    /** The first value of {@code param} of service {@code name}, or null. */
    public synchronized String param(String name, String param) {
        Map<String, List<String>> p = services.get(name);
        return p == null || p.get(param) == null ? null : p.get(param).get(0);
    }

    @Override
    public synchronized CompletableFuture<Change> apply(Source source, Map<String, List<String>> params) {
        String name = params.get("serviceName").get(0);
        calls.add("apply " + name);
        if (name.startsWith("refuse-")) {
            return CompletableFuture.completedFuture(new Change(400, "refused"));
        }
        services.put(name, params);
        sources.put(name, source);
        return CompletableFuture.completedFuture(new Change(200, ""));
    }

    @Override
    public synchronized CompletableFuture<Change> remove(Source source, String serviceName) {
        calls.add("remove " + serviceName);
        services.remove(serviceName);
        sources.remove(serviceName);
        return CompletableFuture.completedFuture(new Change(200, ""));
    }

    @Override
    public synchronized CompletableFuture<Reconciled> reconcile(Source source, List<Map<String, List<String>>> listed) {
        calls.add("reconcile " + source.id() + " " + listed.size());
        List<String> added = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (Map<String, List<String>> p : listed) {
            String name = p.get("serviceName").get(0);
            names.add(name);
            if (name.startsWith("refuse-")) {
                failed.put(name, "refused");
                continue;
            }
            Map<String, List<String>> old = services.put(name, p);
            sources.put(name, source);
            if (old == null) {
                added.add(name);
            } else if (!old.equals(p)) {
                updated.add(name);
            }
        }
        for (String name : new ArrayList<>(services.keySet())) {
            if (sources.get(name) == source && !names.contains(name)) {
                services.remove(name);
                sources.remove(name);
                removed.add(name);
            }
        }
        return CompletableFuture.completedFuture(new Reconciled(added, updated, removed, failed));
    }
}
