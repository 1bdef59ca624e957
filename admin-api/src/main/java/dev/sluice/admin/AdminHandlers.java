package dev.sluice.admin;

import static dev.sluice.admin.AdminServer.json;

import dev.sluice.routing.Backend;
import dev.sluice.routing.RoutingTable;
import dev.sluice.routing.Server;
import dev.sluice.routing.ServerState;
import dev.sluice.routing.StateEvent;
import dev.sluice.routing.StateEvents;
import dev.sluice.routing.service.ServiceConfigs;
import dev.sluice.routing.service.ServiceSpec;
import dev.sluice.discovery.Discovery;
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
    /** {@code null} when Sluice runs without certificates (tests of the admin API alone). */
    private final CertificateAdmin certs;

    /** {@code null} for a lone replica without discovery. */
    private final Discovery discovery;

    AdminHandlers(ServiceRegistry registry, CertificateAdmin certs, Discovery discovery) {
        this.registry = registry;
        this.certs = certs;
        this.discovery = discovery;
    }

    /** {@code ping}, plus the routing table's generation and hash. */
    void ping(RoutingContext ctx) {
        ServiceRegistry.Snapshot snap = registry.snapshot();
        RoutingTable table = snap.table();
        json(ctx, 200, new JsonObject().put("Status", "OK").put("Generation", table.generation())
                .put("Hash", table.hash()).put("ServicesHash", snap.servicesHash()).put("Services", snap.services().size()).put("Discovery", discovery == null ? "none" : discovery.role()));
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
        body.put("ServicesHash", snap.servicesHash());
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
                m.putAll(serverFields(s));
                servers.add(m);
            }
            Map<String, Object> bm = new LinkedHashMap<>();
            bm.put("Name", name);
            bm.put("Servers", servers);
            out.add(bm);
        }
        return out;
    }

    /** A server's state as the admin API shows it. */
    static Map<String, Object> serverFields(Server s) {
        Map<String, Object> m = new LinkedHashMap<>();
        ServerState st = s.state();
        m.put("State", s.disabled() ? "MAINT (disabled)" : st.describe());
        m.put("Admin", st.admin().name());
        m.put("Health", st.isUp() ? "UP" : "DOWN");
        m.put("SinceMillis", st.lastChangeMillis());
        m.put("LastCheck", st.lastCheck());
        String error = st.lastError();
        m.put("LastError", error == null ? "" : error);
        m.put("Active", st.active());
        if (st.isSlot()) {
            m.put("SlotAddress", st.address() == null ? "" : st.address().getAddress().getHostAddress());
        }
        List<Map<String, Object>> events = new ArrayList<>();
        List<StateEvent> recent = StateEvents.of(s.backendName(), s.name());
        for (StateEvent e : recent.subList(Math.max(0, recent.size() - 10), recent.size())) {
            Map<String, Object> em = new LinkedHashMap<>();
            em.put("TimeMillis", e.timeMillis());
            em.put("From", e.from());
            em.put("To", e.to());
            em.put("Reason", e.reason());
            events.add(em);
        }
        m.put("Events", events);
        return m;
    }

    /**
     * {@code server?backend=B&server=S[&state=ready|drain|maint]}: shows a server, or sets the
     * operator's state: {@code drain} lets requests in flight finish and sends no new ones
     * (clients stuck to it by a cookie still reach it), {@code maint} sends nothing,
     * {@code ready} takes traffic again. Runtime state, as HAProxy's runtime API: a restart
     * starts every server READY.
     */
    void server(RoutingContext ctx) {
        String backend = ctx.request().getParam("backend");
        String server = ctx.request().getParam("server");
        String state = ctx.request().getParam("state");
        if (backend == null || backend.isBlank() || server == null || server.isBlank()) {
            nok(ctx, 400, "backend and server parameters are mandatory");
            return;
        }
        Backend b = registry.table().backend(backend);
        Server s = b == null ? null : b.servers().stream().filter(x -> x.name().equals(server)).findFirst().orElse(null);
        if (s == null) {
            nok(ctx, 404, b == null ? "no backend '" + backend + "'" : "backend '" + backend + "' has no server '" + server + "'");
            return;
        }
        if (state != null) {
            ServerState.Admin admin;
            try {
                admin = ServerState.Admin.valueOf(state.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                nok(ctx, 400, "state: '" + state + "' (expected ready, drain or maint)");
                return;
            }
            s.state().setAdmin(admin, "set to " + admin.name().toLowerCase(java.util.Locale.ROOT) + " by the admin API");
        }
        JsonObject body = new JsonObject().put("Status", "OK").put("Message", "").put("Backend", backend)
                .put("Server", server).put("Address", s.host() + ":" + s.port());
        serverFields(s).forEach(body::put);
        json(ctx, 200, body);
    }

    private static void nok(RoutingContext ctx, int status, String message) {
        json(ctx, status, new JsonObject().put("Status", "NOK").put("Message", message));
    }

    void reconfigure(RoutingContext ctx) {
        Map<String, List<String>> params = params(ctx.queryParams());
        List<String> cert = params.remove("serviceCert");
        if (cert != null && !cert.get(0).isEmpty()) {
            ServiceCerts.reconfigure(ctx, registry, certs, params, cert.get(0));
        } else {
            answer(ctx, registry.reconfigure(params));
        }
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
                JsonObject body = new JsonObject(r.result().body());
                String note = ctx.get("distribute.note");
                if (note != null) {
                    String m = body.getString("Message", "");
                    body.put("Message", m.isEmpty() ? note : m + "; " + note);
                }
                json(ctx, r.result().status(), body);
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
