package dev.sluice.admin;

import dev.sluice.admin.stats.Rates;
import dev.sluice.admin.stats.StatsCollector;
import dev.sluice.admin.stats.StatsCsv;
import dev.sluice.admin.stats.StatsPage;
import dev.sluice.admin.stats.StatsPrometheus;
import dev.sluice.admin.stats.StatsRow;
import dev.sluice.routing.RoutingTable;
import io.netty.buffer.PooledByteBufAllocator;
import dev.sluice.admin.stats.ReplicasSection;
import dev.sluice.discovery.Discovery;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * {@code /stats} (the page), {@code /stats;csv} (HAProxy's CSV), {@code /metrics} (Prometheus) and
 * Docker Flow Proxy's {@code /v1/docker-flow-proxy/metrics} (the CSV) on the admin port. With
 * STATS_USER/STATS_PASS they need those credentials; they do not need the admin credentials, so a
 * dashboard can read statistics without being able to change routes. Rates are sampled here once
 * a second, on the admin event loop.
 */
final class StatsHandlers {

    private final ServiceRegistry registry;
    private final AdminAuth statsAuth;
    private final Rates rates = new Rates();
    private final String version;
    /** {@code null} for a lone replica. */
    private final Discovery discovery;

    StatsHandlers(Vertx vertx, ServiceRegistry registry, AdminAuth statsAuth, Discovery discovery) {
        this.registry = registry;
        this.discovery = discovery;
        this.statsAuth = statsAuth;
        String v = StatsHandlers.class.getPackage().getImplementationVersion();
        this.version = "Sluice " + (v == null ? "(development build)" : v);
        rates.tick(registry.table());
        // reading response times takes the histograms' monitors: never on the admin event loop
        vertx.setPeriodic(1000, id -> vertx.executeBlocking(() -> {
            rates.tick(registry.table());
            return null;
        }, true));
    }

    /** Whether {@code path} is one of these endpoints (the admin credentials do not apply to them). */
    static boolean isStats(String path) {
        return path.equals("/stats") || path.startsWith("/stats;") || path.equals("/metrics")
                || AdminServer.PREFIXES.stream().anyMatch(p -> path.equals(p + "/metrics"));
    }

    void route(Router router) {
        router.routeWithRegex("/stats(;.*)?").handler(this::stats);
        router.route("/metrics").handler(this::prometheus);
        for (String prefix : AdminServer.PREFIXES) {
            router.route(prefix + "/metrics").handler(this::csv);
        }
    }

    private boolean allowed(RoutingContext ctx) {
        if (statsAuth == null || statsAuth.accepts(ctx.request().getHeader("Authorization"))) {
            return true;
        }
        ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Basic realm=\"sluice-stats\"")
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .end("statistics need the credentials of STATS_USER / STATS_PASS\n");
        return false;
    }

    /** The page ({@code csv} false) or HAProxy's CSV, for the frontends' stats at {@code uri}. */
    String render(boolean csv, String uri) {
        RoutingTable table = registry.table();
        List<StatsRow> rows = StatsCollector.rows(table, rates);
        return csv ? StatsCsv.render(rows) : StatsPage.render(table, rows, version, uri + ";csv", null,
                ReplicasSection.render(discovery, registry.snapshot().servicesHash()));
    }

    /** Renders on a worker thread, then answers from the event loop. */
    private void answer(RoutingContext ctx, String type, java.util.concurrent.Callable<String> render) {
        ctx.vertx().executeBlocking(render, false).onComplete(r -> {
            if (r.succeeded()) {
                ctx.response().putHeader("Content-Type", type).putHeader("Cache-Control", "no-cache").end(r.result());
            } else {
                ctx.response().setStatusCode(500).end("the statistics could not be read: " + r.cause());
            }
        });
    }

    private void stats(RoutingContext ctx) {
        if (ctx.request().path().contains(";csv")) {
            csv(ctx);
            return;
        }
        if (!allowed(ctx)) {
            return;
        }
        answer(ctx, "text/html; charset=utf-8", () -> {
            RoutingTable table = registry.table();
            return StatsPage.render(table, StatsCollector.rows(table, rates), version, "/stats;csv", "/metrics",
                    ReplicasSection.render(discovery, registry.snapshot().servicesHash()));
        });
    }

    private void csv(RoutingContext ctx) {
        if (!allowed(ctx)) {
            return;
        }
        answer(ctx, "text/plain; charset=utf-8", () -> StatsCsv.render(StatsCollector.rows(registry.table(), rates)));
    }

    private void prometheus(RoutingContext ctx) {
        if (!allowed(ctx)) {
            return;
        }
        answer(ctx, "text/plain; version=0.0.4; charset=utf-8", () -> {
            RoutingTable table = registry.table();
            return StatsPrometheus.render(table, StatsCollector.rows(table, rates),
                    () -> PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory());
        });
    }
}
