package dev.sluice.admin;

import static dev.sluice.admin.AdminServer.json;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;

/**
 * Docker Flow Proxy's {@code PUT cert?certName=NAME} (the PEM as body) and {@code certs}. A bad
 * PEM answers 400 naming the problem and changes nothing; validation and the durable write run
 * on a worker thread, never on the admin event loop.
 */
final class CertHandlers {

    private final CertificateAdmin certs;

    CertHandlers(CertificateAdmin certs) {
        this.certs = certs;
    }

    void put(RoutingContext ctx) {
        if (ctx.request().method() != HttpMethod.PUT) {
            nok(ctx, 405, "cert needs PUT with the PEM (certificate chain and private key) as body");
            return;
        }
        String name = ctx.request().getParam("certName");
        if (name == null || name.isBlank()) {
            nok(ctx, 400, "certName parameter is mandatory");
            return;
        }
        String pem = ctx.body() == null ? null : ctx.body().asString();
        if (pem == null || pem.isBlank()) {
            nok(ctx, 400, "the body must be the PEM: certificate chain and private key");
            return;
        }
        ctx.vertx().<Map<String, Object>>executeBlocking(() -> certs.put(name.trim(), pem), false).onComplete(r -> {
            if (r.succeeded()) {
                JsonObject body = new JsonObject().put("Status", "OK").put("Message", "").put("CertName", name.trim());
                r.result().forEach(body::put);
                json(ctx, 200, body);
            } else if (r.cause() instanceof IllegalArgumentException bad) {
                nok(ctx, 400, bad.getMessage());
            } else {
                nok(ctx, 500, "the certificate could not be stored, nothing changed: " + r.cause().getMessage());
            }
        });
    }

    void list(RoutingContext ctx) {
        JsonArray list = new JsonArray();
        certs.list().forEach(m -> list.add(new JsonObject(m)));
        json(ctx, 200, new JsonObject().put("Status", "OK").put("Certs", list));
    }

    private static void nok(RoutingContext ctx, int status, String message) {
        json(ctx, status, new JsonObject().put("Status", "NOK").put("Message", message));
    }
}
