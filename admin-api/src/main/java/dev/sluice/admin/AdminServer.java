package dev.sluice.admin;

import static java.util.Objects.requireNonNull;

import dev.sluice.discovery.Discovery;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The admin endpoint (ADMIN_PORT, 8080 by default) on its own small Vert.x instance, so admin
 * work never runs on a proxy event loop. It answers under Docker Flow Proxy's paths
 * {@code /v1/docker-flow-proxy/} and {@code /v1/proxy/}, with any method, as Docker Flow Proxy
 * does: {@code reconfigure}, {@code remove}, {@code reload}, {@code config} (HAProxy syntax, or
 * {@code type=json}), {@code ping}, {@code successfulinitreload}, {@code cert}, {@code certs},
 * {@code server} and {@code metrics}; and the statistics: {@code /stats}, {@code /stats;csv} and
 * {@code /metrics} (see {@link StatsHandlers}).
 */
public final class AdminServer implements AutoCloseable {

    /** Both path prefixes Docker Flow Proxy answers under. */
    public static final List<String> PREFIXES = List.of("/v1/docker-flow-proxy", "/v1/proxy");


    /** The largest PEM {@code cert} accepts. */
    static final int MAX_CERT_BYTES = 1 << 20;
    /** A replica state: every service and certificate of the cluster. */
    static final int MAX_STATE_BYTES = 64 << 20;
    /** The longest request line: reconfigure?serviceCert= carries a whole PEM (a chain) in the query. */
    static final int MAX_REQUEST_LINE = 64 * 1024;

    private final Vertx vertx;
    private final HttpServer server;
    private final StatsHandlers stats;

    private AdminServer(Vertx vertx, HttpServer server, StatsHandlers stats) {
        this.vertx = vertx;
        this.server = server;
        this.stats = stats;
    }

    /** The stats page ({@code csv} false) or HAProxy's CSV, for the frontends' {@code uri}. */
    public String renderStats(boolean csv, String uri) {
        return stats.render(csv, uri);
    }

    /**
     * Listens on {@code host:port} ({@code port} 0: any free port) and serves Docker Flow
     * Proxy's API over {@code registry}. With {@code auth}, every call but {@code ping} needs its credentials.
     * Blocks until listening.
     *
     * @throws AdminBindException when the port cannot be bound
     */
    public static AdminServer start(String host, int port, ServiceRegistry registry, AdminAuth auth)
            throws AdminBindException {
        return start(host, port, registry, auth, null);
    }

    /** Like the other; {@code certs} ({@code null}: none) answers {@code cert} and {@code certs}. */
    public static AdminServer start(String host, int port, ServiceRegistry registry, AdminAuth auth,
                                    CertificateAdmin certs) throws AdminBindException {
        return start(host, port, registry, auth, certs, null);
    }

    /** Like the other; with {@code statsAuth} the statistics need STATS_USER/STATS_PASS. */
    public static AdminServer start(String host, int port, ServiceRegistry registry, AdminAuth auth,
                                    CertificateAdmin certs, AdminAuth statsAuth) throws AdminBindException {
        return start(host, port, registry, auth, certs, statsAuth, null);
    }

    /**
     * Like the other; with {@code discovery} ({@code null}: a lone replica without discovery)
     * the replica endpoints: {@code distribute=true}, {@code peers}, {@code state}, and the Swarm
     * Listener's {@code reload?fromListener=true} and {@code successfulinitreload}.
     */
    public static AdminServer start(String host, int port, ServiceRegistry registry, AdminAuth auth,
                                    CertificateAdmin certs, AdminAuth statsAuth, Discovery discovery)
            throws AdminBindException {
        requireNonNull(host, "host");
        requireNonNull(registry, "registry");
        // no files are served from the classpath: without resolving, Vert.x makes no
        // vertx-cache-<uuid> directory in java.io.tmpdir (one left behind by every killed process)
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2)
                .setFileSystemOptions(new FileSystemOptions().setClassPathResolvingEnabled(false)));
        Router router = Router.router(vertx);
        if (auth != null) {
            router.route().handler(ctx -> {
                // ping stays open: container health checks call it without credentials, and it
                // tells only the table's generation and hash
                if (ctx.request().path().endsWith("/ping") || StatsHandlers.isStats(ctx.request().path())
                        || auth.accepts(ctx.request().getHeader("Authorization"))) {
                    ctx.next();
                } else {
                    ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"sluice-admin\"");
                    json(ctx, 401, new JsonObject().put("Status", "NOK")
                            .put("Message", "admin credentials required (ADMIN_USER / ADMIN_PASS)"));
                }
            });
        }
        AdminHandlers handlers = new AdminHandlers(registry, certs, discovery);
        ClusterHandlers cluster = discovery == null ? null : new ClusterHandlers(registry, certs, discovery, auth != null);
        StatsHandlers stats = new StatsHandlers(vertx, registry, statsAuth, discovery);
        stats.route(router);
        for (String prefix : PREFIXES) {
            router.route(prefix + "/ping").handler(handlers::ping);
            router.route(prefix + "/config").handler(handlers::config);
            if (cluster != null) {
                router.route(prefix + "/reconfigure").handler(cluster.distributing(true, handlers::reconfigure));
                router.route(prefix + "/remove").handler(cluster.distributing(false, handlers::remove));
                router.route(prefix + "/reload").handler(ctx -> {
                    if ("true".equalsIgnoreCase(ctx.request().getParam("fromListener"))) {
                        cluster.reloadFromListener(ctx);
                    } else {
                        handlers.reload(ctx);
                    }
                });
                router.route(prefix + "/successfulinitreload").handler(cluster::successfulInitReload);
                router.route(prefix + "/peers").handler(cluster::peers);
                router.route(prefix + "/state").handler(BodyHandler.create(false).setBodyLimit(MAX_STATE_BYTES))
                        .handler(cluster::state);
            } else {
                router.route(prefix + "/reconfigure").handler(handlers::reconfigure);
                router.route(prefix + "/remove").handler(handlers::remove);
                router.route(prefix + "/reload").handler(handlers::reload);
                router.route(prefix + "/successfulinitreload").handler(handlers::successfulInitReload);
            }
            router.route(prefix + "/server").handler(handlers::server);
            if (certs != null) {
                CertHandlers ch = new CertHandlers(certs);
                router.route(prefix + "/cert").handler(BodyHandler.create(false).setBodyLimit(MAX_CERT_BYTES))
                        .handler(cluster == null ? ch::put : cluster.distributingCert(ch::put));
                router.route(prefix + "/certs").handler(ch::list);
            } else {
                router.route(prefix + "/cert").handler(ctx -> notBuiltYet(ctx, "cert"));
                router.route(prefix + "/certs").handler(ctx -> notBuiltYet(ctx, "certs"));
            }
        }
        try {
            HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                            .setMaxInitialLineLength(MAX_REQUEST_LINE))
                    .requestHandler(router).listen(port, host)
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return new AdminServer(vertx, server, stats);
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

    private static void notBuiltYet(RoutingContext ctx, String endpoint) {
        json(ctx, 501, new JsonObject()
                .put("Status", "NOK")
                .put("Message", "'" + endpoint + "' is not built yet in this Sluice version"));
    }

    static void json(RoutingContext ctx, int status, JsonObject body) {
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
