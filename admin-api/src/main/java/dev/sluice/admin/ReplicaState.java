package dev.sluice.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.discovery.ServiceSink;
import dev.sluice.discovery.Source;
import dev.sluice.discovery.peers.LocalReplica;
import dev.sluice.routing.service.ServiceException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one replica hands another: its services with their sources and the certificates of the
 * certificates directory (with their keys: the admin API serves it only behind the admin
 * credentials). {@code GET /v1/proxy/state} answers it; {@code PUT} takes it.
 *
 * <p>Each export carries this process's id and a sequence number taken from the clock and then
 * counted up, so it grows across restarts too; an import older than the last one taken from the
 * same sender is refused, so pushes that arrive out of order never put an older state back.
 */
public final class ReplicaState implements LocalReplica {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServiceRegistry registry;
    /** {@code null} when this replica has no certificates to hand over. */
    private final CertificateAdmin certs;
    private final String id = UUID.randomUUID().toString();
    private final AtomicLong sequence = new AtomicLong(System.currentTimeMillis() * 1000);
    private final Map<String, Long> lastTaken = new ConcurrentHashMap<>();

    public ReplicaState(ServiceRegistry registry, CertificateAdmin certs) {
        this.registry = registry;
        this.certs = certs;
    }

    @Override
    public String hash() {
        return registry.snapshot().servicesHash();
    }

    @Override
    public int serviceCount() {
        return registry.snapshot().services().size();
    }

    @Override
    public byte[] exportState(boolean dockerOnly) {
        ServiceRegistry.Snapshot snap = registry.snapshot();
        ObjectNode root = JSON.createObjectNode();
        root.put("Sender", id);
        root.put("Sequence", sequence.incrementAndGet());
        root.put("Scope", dockerOnly ? Source.DOCKER.id() : "all");
        root.put("Generation", snap.table().generation());
        root.put("Hash", snap.table().hash());
        root.put("ServicesHash", snap.servicesHash());
        List<StoredService> services = snap.stored();
        if (dockerOnly) {
            services = services.stream().filter(s -> s.source() == Source.DOCKER).toList();
        }
        root.set("Services", StoredServicesJson.write(services));
        ArrayNode list = root.putArray("Certs");
        if (certs != null && !dockerOnly) {
            certs.export().forEach((name, pem) -> list.addObject().put("name", name).put("pem", pem));
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public CompletableFuture<String> importState(byte[] state) {
        JsonNode root;
        List<StoredService> services;
        try {
            root = JSON.readTree(state);
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("expected a JSON object");
            }
            services = StoredServicesJson.read(root.get("Services"));
            for (StoredService s : services) {
                if (s.name().isEmpty()) {
                    throw new IllegalArgumentException("a service without serviceName");
                }
                registry.parse(s.params());
            }
            checkNewer(root);
        } catch (ServiceException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not a replica state, nothing changed: "
                    + e.getMessage(), e));
        } catch (IOException | IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not a replica state, nothing changed: "
                    + e.getMessage(), e));
        }
        if (Source.DOCKER.id().equals(root.path("Scope").asText())) {
            List<Map<String, List<String>>> params = services.stream().map(StoredService::params).toList();
            return registry.reconcile(Source.DOCKER, params).thenApply(ReplicaState::summary);
        }
        return registry.replaceAll(services).thenApply(r -> {
            List<String> certNotes = importCerts(root);
            return summary(r) + (certNotes.isEmpty() ? "" : "; certificates: " + String.join(", ", certNotes));
        });
    }

    /** Refuses a state older than the last one taken from the same sender (a push that arrived late). */
    private void checkNewer(JsonNode root) {
        String sender = root.path("Sender").asText("");
        long seq = root.path("Sequence").asLong(0);
        if (sender.isEmpty()) {
            return;
        }
        long[] refused = {0};
        lastTaken.compute(sender, (k, last) -> {
            if (last != null && seq <= last) {
                refused[0] = last;
                return last;
            }
            return seq;
        });
        if (refused[0] != 0) {
            throw new IllegalArgumentException("state " + seq + " of " + sender + " is older than state " + refused[0]
                    + " taken from it already");
        }
    }

    private List<String> importCerts(JsonNode root) {
        List<String> notes = new ArrayList<>();
        JsonNode list = root.get("Certs");
        if (certs == null || list == null || !list.isArray()) {
            return notes;
        }
        Map<String, String> have = certs.export();
        for (JsonNode c : list) {
            String name = c.path("name").asText("");
            String pem = c.path("pem").asText("");
            if (name.isEmpty() || pem.isEmpty() || pem.equals(have.get(name))) {
                continue;
            }
            try {
                certs.put(name, pem);
                notes.add(name + " stored");
            } catch (IOException | IllegalArgumentException e) {
                notes.add(name + " not stored (" + e.getMessage() + ")");
            }
        }
        return notes;
    }

    static String summary(ServiceSink.Reconciled r) {
        String s = "added " + r.added().size() + ", updated " + r.updated().size() + ", removed " + r.removed().size();
        return r.failed().isEmpty() ? s : s + ", failed " + r.failed();
    }
}
