package dev.sluice.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.discovery.ServiceSink;
import dev.sluice.discovery.peers.LocalReplica;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What one replica hands another: every service with its source, and the certificates of the
 * certificates directory (with their keys: the admin credentials guard it, as they guard
 * {@code cert}). {@code GET /v1/proxy/state} answers it; {@code PUT} takes it.
 */
public final class ReplicaState implements LocalReplica {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServiceRegistry registry;
    /** {@code null} when this replica has no certificates to hand over. */
    private final CertificateAdmin certs;

    public ReplicaState(ServiceRegistry registry, CertificateAdmin certs) {
        this.registry = registry;
        this.certs = certs;
    }

    @Override
    public String hash() {
        return registry.snapshot().servicesHash();
    }

    @Override
    public long generation() {
        return registry.table().generation();
    }

    @Override
    public byte[] exportState() {
        ServiceRegistry.Snapshot snap = registry.snapshot();
        ObjectNode root = JSON.createObjectNode();
        root.put("Generation", snap.table().generation());
        root.put("Hash", snap.table().hash());
        root.put("ServicesHash", snap.servicesHash());
        root.set("Services", StoredServicesJson.write(snap.stored()));
        ArrayNode list = root.putArray("Certs");
        if (certs != null) {
            certs.export().forEach((name, pem) -> list.addObject().put("name", name).put("pem", pem));
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The services of a state document; a malformed one is an error saying where. */
    static List<StoredService> services(JsonNode root) {
        return StoredServicesJson.read(root.get("Services"));
    }

    @Override
    public CompletableFuture<String> importState(byte[] state) {
        JsonNode root;
        List<StoredService> services;
        try {
            root = JSON.readTree(state);
            services = services(root);
        } catch (IOException | IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not a replica state: " + e.getMessage(), e));
        }
        List<String> certNotes = importCerts(root);
        return registry.replaceAll(services).thenApply(r -> summary(r) + (certNotes.isEmpty() ? ""
                : "; certificates: " + String.join(", ", certNotes)));
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
