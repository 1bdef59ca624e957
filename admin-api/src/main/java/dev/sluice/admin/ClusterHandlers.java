package dev.sluice.admin;

import static dev.sluice.admin.AdminServer.json;

import dev.sluice.discovery.Discovery;
import dev.sluice.discovery.listener.SwarmListenerSync;
import dev.sluice.discovery.peers.PeerStatus;
import dev.sluice.discovery.peers.Replicas;
import dev.sluice.routing.RoutingTable;
import dev.sluice.routing.service.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The endpoints of a replica among replicas: {@code distribute=true} on {@code reconfigure} and
 * {@code remove} (fanned out to every replica, 200 only when all acknowledged), {@code peers}
 * (each replica's generation and hash; {@code repair=true} pushes this replica's services to
 * those that differ), {@code state} (what replicas hand each other), and the Swarm Listener's
 * {@code reload?fromListener=true} and {@code successfulinitreload}.
 */
final class ClusterHandlers {

    private final ServiceRegistry registry;
    private final Discovery discovery;
    private final ReplicaState state;
    private final CertificateAdmin certs;

    /** Whether ADMIN_USER/ADMIN_PASS guard the API: {@code state} holds keys and passwords, so only then. */
    private final boolean guarded;

    ClusterHandlers(ServiceRegistry registry, CertificateAdmin certs, Discovery discovery, boolean guarded) {
        this.registry = registry;
        this.certs = certs;
        this.guarded = guarded;
        this.discovery = discovery;
        this.state = new ReplicaState(registry, certs);
    }

    /**
     * {@code reconfigure} or {@code remove} with {@code distribute=true}: checked here first (a
     * bad request is refused before any replica sees it), then sent with {@code distribute=false}
     * to every address of {@code tasks.<SERVICE_NAME>}, this replica included. Without replicas
     * (the name does not resolve) it is applied here alone, and the answer says so.
     */
    Handler<RoutingContext> distributing(boolean reconfigure, Handler<RoutingContext> local) {
        return ctx -> {
            MultiMap query = ctx.queryParams();
            if (!"true".equalsIgnoreCase(query.get("distribute")) || ctx.request().getHeader("X-Sluice-Replica") != null) {
                local.handle(ctx);
                return;
            }
            if (reconfigure) {
                Map<String, List<String>> params = AdminHandlers.params(query);
                params.remove("serviceCert");
                try {
                    registry.parse(params);
                } catch (ServiceException e) {
                    nok(ctx, e.status(), e.getMessage());
                    return;
                }
            } else if (query.get("serviceName") == null || query.get("serviceName").isBlank()) {
                nok(ctx, 400, "serviceName parameter is mandatory");
                return;
            }
            Replicas replicas = discovery.replicas();
            String target = ctx.request().path() + "?" + withoutDistribute(query);
            Future.fromCompletionStage(replicas.fanOut("GET", target, null), ctx.vertx().getOrCreateContext())
                    .onComplete(r -> {
                        if (r.failed()) {
                            nok(ctx, 500, "the change could not be sent to the replicas: " + r.cause());
                            return;
                        }
                        List<Replicas.Delivery> deliveries = r.result();
                        if (deliveries.isEmpty()) {
                            ctx.put("distribute.note", replicas.dnsName() + " does not resolve: applied on this replica only");
                            local.handle(ctx);
                            return;
                        }
                        answerFanOut(ctx, deliveries);
                    });
        };
    }

    /**
     * {@code PUT cert?certName=NAME&distribute=true}: the PEM is checked here first, then sent to
     * every replica (this one included) with {@code distribute=false}.
     */
    Handler<RoutingContext> distributingCert(Handler<RoutingContext> local) {
        return ctx -> {
            MultiMap query = ctx.queryParams();
            if (!"true".equalsIgnoreCase(query.get("distribute")) || ctx.request().getHeader("X-Sluice-Replica") != null
                    || ctx.request().method() != HttpMethod.PUT || ctx.body() == null || ctx.body().length() == 0
                    || query.get("certName") == null || query.get("certName").isBlank()) {
                local.handle(ctx);
                return;
            }
            try {
                certs.validate(query.get("certName").trim(), ctx.body().asString());
            } catch (IllegalArgumentException e) {
                nok(ctx, 400, e.getMessage());
                return;
            }
            Replicas replicas = discovery.replicas();
            String target = ctx.request().path() + "?" + withoutDistribute(query);
            Future.fromCompletionStage(replicas.fanOut("PUT", target, ctx.body().buffer().getBytes()),
                    ctx.vertx().getOrCreateContext()).onComplete(r -> {
                        if (r.failed()) {
                            nok(ctx, 500, "the certificate could not be sent to the replicas: " + r.cause());
                        } else if (r.result().isEmpty()) {
                            local.handle(ctx);
                        } else {
                            answerFanOut(ctx, r.result());
                        }
                    });
        };
    }

    private static void answerFanOut(RoutingContext ctx, List<Replicas.Delivery> deliveries) {
        JsonArray list = new JsonArray();
        List<String> failed = new ArrayList<>();
        for (Replicas.Delivery d : deliveries) {
            list.add(new JsonObject().put("Address", d.address()).put("Status", d.status()).put("Message", d.message()));
            if (!d.ok()) {
                failed.add(d.address() + " (" + (d.status() == 0 ? "" : d.status() + " ") + d.message() + ")");
            }
        }
        boolean allSame = deliveries.stream().allMatch(d -> d.status() == deliveries.get(0).status());
        int status = failed.isEmpty() ? 200 : allSame && deliveries.get(0).status() != 0 ? deliveries.get(0).status() : 500;
        String message = failed.isEmpty() ? "applied on " + deliveries.size() + " replica(s)"
                : "not acknowledged by " + failed.size() + " of " + deliveries.size() + " replica(s): " + String.join("; ", failed);
        json(ctx, status, new JsonObject().put("Status", status == 200 ? "OK" : "NOK").put("Message", message)
                .put("ServiceName", ctx.queryParams().get("serviceName")).put("Replicas", list));
    }

    private static String withoutDistribute(MultiMap query) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : query) {
            if (e.getKey().equals("distribute")) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        return sb.append(sb.length() > 0 ? "&" : "").append("distribute=false").toString();
    }

    /** {@code peers}: every replica's generation and hash; {@code repair=true} first pushes to those that differ. */
    void peers(RoutingContext ctx) {
        Replicas replicas = discovery.replicas();
        boolean repair = "true".equalsIgnoreCase(ctx.request().getParam("repair"));
        CompletableFuture<List<Replicas.Delivery>> pushed = repair ? replicas.repair()
                : CompletableFuture.completedFuture(List.of());
        CompletableFuture<JsonObject> body = pushed.thenCompose(p -> replicas.survey().thenApply(peers -> {
            ServiceRegistry.Snapshot snap = registry.snapshot();
            RoutingTable table = snap.table();
            JsonArray list = new JsonArray();
            boolean drift = false;
            for (PeerStatus s : peers) {
                boolean same = s.reachable() && s.hash().equals(snap.servicesHash());
                drift |= !same;
                list.add(new JsonObject().put("Address", s.address()).put("Self", s.self()).put("Reachable", s.reachable())
                        .put("Generation", s.generation()).put("ServicesHash", s.hash()).put("Hash", s.routingHash())
                        .put("Discovery", s.discovery()).put("SameServices", same)
                        .put("SameRouting", s.reachable() && s.routingHash().equals(table.hash())).put("Error", s.error()));
            }
            JsonObject out = new JsonObject().put("Status", "OK")
                    .put("Message", peers.isEmpty() ? replicas.dnsName() + " does not resolve: no replicas to compare"
                            : drift ? "replicas differ: call peers?repair=true on a replica whose services are right" : "all replicas agree")
                    .put("Generation", table.generation()).put("Hash", table.hash())
                    .put("ServicesHash", snap.servicesHash()).put("Drift", drift)
                    .put("Discovery", new JsonObject(discovery.describe())).put("Replicas", list);
            if (repair) {
                JsonArray pushes = new JsonArray();
                p.forEach(d -> pushes.add(new JsonObject().put("Address", d.address()).put("Status", d.status())
                        .put("Message", d.message())));
                out.put("Repaired", pushes);
            }
            return out;
        }));
        Future.fromCompletionStage(body, ctx.vertx().getOrCreateContext()).onComplete(r -> {
            if (r.succeeded()) {
                json(ctx, 200, r.result());
            } else {
                nok(ctx, 500, "the replicas could not be surveyed: " + r.cause());
            }
        });
    }

    /** {@code state}: GET this replica's services and certificates; PUT makes them a peer's. */
    void state(RoutingContext ctx) {
        if (!guarded) {
            nok(ctx, 403, "state holds private keys and passwords: it is served only when ADMIN_USER and ADMIN_PASS "
                    + "are set (the same on every replica); without them replicas cannot hand each other services");
            return;
        }
        if (ctx.request().method() == HttpMethod.GET) {
            ctx.vertx().executeBlocking(() -> state.exportState(false), false).onComplete(r -> {
                if (r.succeeded()) {
                    ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(
                            io.vertx.core.buffer.Buffer.buffer(r.result()));
                } else {
                    nok(ctx, 500, String.valueOf(r.cause()));
                }
            });
            return;
        }
        if (ctx.request().method() != HttpMethod.PUT || ctx.body() == null || ctx.body().length() == 0) {
            nok(ctx, 405, "state: GET it, or PUT another replica's state as the body");
            return;
        }
        byte[] body = ctx.body().buffer().getBytes();
        // parsing and checking a state of up to 64 MB: not on the admin event loop
        ctx.vertx().executeBlocking(() -> state.importState(body), false)
                .compose(f -> Future.fromCompletionStage(f, ctx.vertx().getOrCreateContext())).onComplete(r -> {
            if (r.succeeded()) {
                json(ctx, 200, new JsonObject().put("Status", "OK").put("Message", r.result())
                        .put("Hash", registry.table().hash()).put("Generation", registry.table().generation()));
            } else if (unwrap(r.cause()) instanceof IllegalArgumentException bad) {
                nok(ctx, 400, bad.getMessage());
            } else {
                nok(ctx, 500, "the state could not be applied: " + unwrap(r.cause()));
            }
        });
    }

    /** {@code reload?fromListener=true}: the Swarm Listener's services, fetched and reconciled now. */
    void reloadFromListener(RoutingContext ctx) {
        SwarmListenerSync listener = discovery.listener();
        if (listener == null) {
            nok(ctx, 400, "reload?fromListener=true needs a Swarm Listener: set LISTENER_ADDRESS");
            return;
        }
        Future.fromCompletionStage(listener.fetchNow(), ctx.vertx().getOrCreateContext()).onComplete(r -> {
            if (r.succeeded()) {
                json(ctx, 200, new JsonObject().put("Status", "OK").put("Message", ReplicaState.summary(r.result()))
                        .put("Added", r.result().added()).put("Updated", r.result().updated())
                        .put("Removed", r.result().removed()).put("Failed", new JsonObject(new java.util.LinkedHashMap<>(r.result().failed()))));
            } else {
                Throwable c = r.cause() instanceof java.util.concurrent.CompletionException && r.cause().getCause() != null
                        ? r.cause().getCause() : r.cause();
                nok(ctx, 503, c.getMessage());
            }
        });
    }

    /** 200 once the first fetch from the listener succeeded (always, without a listener). */
    void successfulInitReload(RoutingContext ctx) {
        SwarmListenerSync listener = discovery.listener();
        if (listener != null && !listener.fetchedOnce()) {
            nok(ctx, 500, "no services fetched from the Swarm Listener yet: " + listener.lastError());
            return;
        }
        json(ctx, 200, new JsonObject().put("Status", "OK"));
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private static void nok(RoutingContext ctx, int status, String message) {
        json(ctx, status, new JsonObject().put("Status", "NOK").put("Message", message));
    }
}
