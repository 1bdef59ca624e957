package dev.sluice.admin;

import static java.util.Objects.requireNonNull;

import dev.sluice.routing.RoutingTable;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The admin endpoint (ADMIN_PORT, 8080 by default) on its own small Vert.x instance, so admin
 * work never runs on a proxy event loop. It answers under Docker Flow Proxy's paths
 * {@code /v1/docker-flow-proxy/} and {@code /v1/proxy/}, with any method, as Docker Flow Proxy
 * does. For now: {@code ping} and {@code config} (the effective configuration in HAProxy syntax,
 * passwords hidden). The other Docker Flow Proxy endpoints, and {@code config?type=json}, answer
 * 501 with a JSON message saying they are not built yet.
 */
public final class AdminServer implements AutoCloseable {

    /** Both path prefixes Docker Flow Proxy answers under. */
    public static final List<String> PREFIXES = List.of("/v1/docker-flow-proxy", "/v1/proxy");

    private static final List<String> NOT_BUILT_YET = List.of("reconfigure", "remove", "reload",
            "successfulinitreload", "cert", "certs", "metrics");

    private final Vertx vertx;
    private final HttpServer server;

    private AdminServer(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    /**
     * Listens on {@code host:port} ({@code port} 0: any free port) and answers from the routing
     * table {@code table} returns at each request; {@code config} renders the effective
     * configuration (passwords hidden). Blocks until listening.
     *
     * @throws AdminBindException when the port cannot be bound
     */
    public static AdminServer start(String host, int port, Supplier<RoutingTable> table, Supplier<String> config)
            throws AdminBindException {
        requireNonNull(host, "host");
        requireNonNull(table, "table");
        requireNonNull(config, "config");
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
        Router router = Router.router(vertx);
        for (String prefix : PREFIXES) {
            router.route(prefix + "/ping").handler(ctx -> ping(ctx, table.get()));
            router.route(prefix + "/config").handler(ctx -> config(ctx, config));
            for (String endpoint : NOT_BUILT_YET) {
                router.route(prefix + "/" + endpoint).handler(ctx -> notBuiltYet(ctx, endpoint));
            }
        }
        try {
            HttpServer server = vertx.createHttpServer().requestHandler(router).listen(port, host)
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return new AdminServer(vertx, server);
        } catch (ExecutionException | TimeoutException e) {
            vertx.close();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new AdminBindException(host, port, cause);
        } catch (InterruptedException e) {
            vertx.close();
            Thread.currentThread().interrupt();
            throw new AdminBindException(host, port, e);
        }
    }

    /** The port actually bound. */
    public int port() {
        return server.actualPort();
    }

    /** Docker Flow Proxy's {@code ping}, plus the routing table's generation and hash. */
    private static void ping(RoutingContext ctx, RoutingTable table) {
        json(ctx, 200, new JsonObject()
                .put("Status", "OK")
                .put("Generation", table.generation())
                .put("Hash", table.hash()));
    }

    /** Docker Flow Proxy's {@code config}: the configuration as text; {@code type=json} is not built yet. */
    private static void config(RoutingContext ctx, Supplier<String> config) {
        if ("json".equals(ctx.request().getParam("type"))) {
            notBuiltYet(ctx, "config?type=json");
            return;
        }
        ctx.response().setStatusCode(200).putHeader("Content-Type", "text/plain; charset=utf-8").end(config.get());
    }

    private static void notBuiltYet(RoutingContext ctx, String endpoint) {
        json(ctx, 501, new JsonObject()
                .put("Status", "NOK")
                .put("Message", "'" + endpoint + "' is not built yet in this Sluice version"));
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    @Override
    public void close() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // closing anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            vertx.close();
        }
    }
}
