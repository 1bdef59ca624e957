package dev.sluice.admin;

import static dev.sluice.admin.AdminServer.json;

import dev.sluice.routing.Backend;
import dev.sluice.routing.RoutingTable;
import dev.sluice.routing.Server;
import dev.sluice.routing.service.ServiceConfigs;
import dev.sluice.routing.service.ServiceSpec;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Docker Flow Proxy's endpoints over a {@link ServiceRegistry}. */
final class AdminHandlers {

    private final ServiceRegistry registry;

    AdminHandlers(ServiceRegistry registry) {
        this.registry = registry;
    }

    /** {@code ping}, plus the routing table's generation and hash. */
    void ping(RoutingContext ctx) {
        RoutingTable table = registry.table();
        json(ctx, 200, new JsonObject().put("Status", "OK").put("Generation", table.generation())
                .put("Hash", table.hash()));
    }

    /** {@code config}: the effective configuration in HAProxy syntax, or {@code type=json} the services. */
    void config(RoutingContext ctx) {
        if (!"json".equalsIgnoreCase(ctx.request().getParam("type"))) {
            ctx.response().setStatusCode(200).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end(registry.renderedConfig());
            return;
        }
        ServiceRegistry.Snapshot snap = registry.snapshot();
        Map<String, Object> services = new LinkedHashMap<>();
        for (ServiceSpec spec : snap.services()) {
            Map<String, Object> fields = new LinkedHashMap<>(spec.describe());
            fields.put("Backends", backends(snap.table(), spec));
            services.put(spec.serviceName(), fields);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Generation", snap.table().generation());
        body.put("Hash", snap.table().hash());
        body.put("Services", services);
        body.put("NotRestored", snap.setAside());
        json(ctx, 200, new JsonObject(body));
    }

    /** Each backend of {@code spec} with its servers' state and last error: why a service answers 503. */
    private static List<Map<String, Object>> backends(RoutingTable table, ServiceSpec spec) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String name : ServiceConfigs.backendNames(spec)) {
            Backend b = table.backend(name);
            if (b == null) {
                continue;
            }
            List<Map<String, Object>> servers = new ArrayList<>();
            for (Server s : b.servers()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("Name", s.name());
                m.put("Address", s.host() + ":" + s.port());
                m.put("Status", s.isUsable() ? "UP" : "DOWN");
                String error = s.state().lastError();
                m.put("LastError", error == null ? "" : error);
                servers.add(m);
            }
            Map<String, Object> bm = new LinkedHashMap<>();
            bm.put("Name", name);
            bm.put("Servers", servers);
            out.add(bm);
        }
        return out;
    }

    void reconfigure(RoutingContext ctx) {
        answer(ctx, registry.reconfigure(params(ctx.queryParams())));
    }

    void remove(RoutingContext ctx) {
        answer(ctx, registry.remove(ctx.queryParams().get("serviceName")));
    }

    /**
     * {@code reload}: the static configuration is read again and every service re-applied.
     * {@code fromListener=true} asks a Swarm Listener, which needs LISTENER_ADDRESS (not built yet).
     */
    void reload(RoutingContext ctx) {
        if ("true".equalsIgnoreCase(ctx.request().getParam("fromListener"))) {
            json(ctx, 501, new JsonObject().put("Status", "NOK")
                    .put("Message", "reload?fromListener=true needs a Swarm Listener (LISTENER_ADDRESS), "
                            + "which this Sluice version does not support yet"));
            return;
        }
        answer(ctx, registry.reload());
    }

    /** Services are restored before the admin port opens, so the initial load has always happened. */
    void successfulInitReload(RoutingContext ctx) {
        json(ctx, 200, new JsonObject().put("Status", "OK"));
    }

    private static void answer(RoutingContext ctx, CompletableFuture<Outcome> outcome) {
        Future.fromCompletionStage(outcome, ctx.vertx().getOrCreateContext()).onComplete(r -> {
            if (r.succeeded()) {
                json(ctx, r.result().status(), new JsonObject(r.result().body()));
            } else {
                json(ctx, 500, new JsonObject().put("Status", "NOK")
                        .put("Message", "internal error: " + r.cause()));
            }
        });
    }

    /** The query as Docker Flow Proxy reads it: every name with its values, in order. */
    static Map<String, List<String>> params(MultiMap query) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : query) {
            out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
        }
        return out;
    }
}
