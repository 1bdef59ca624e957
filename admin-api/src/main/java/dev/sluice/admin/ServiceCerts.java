package dev.sluice.admin;

import static dev.sluice.admin.AdminServer.json;

import dev.sluice.routing.service.Destination;
import dev.sluice.routing.service.ServiceException;
import dev.sluice.routing.service.ServiceSpec;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Map;

/**
 * {@code reconfigure?serviceCert=PEM}: Docker Flow Proxy's way of handing a service its certificate
 * in a label ({@code \n} written as the two characters backslash and n). The certificate is stored
 * as {@code serviceDomain[0]} (of the first destination), else as the service's name, exactly like
 * {@code PUT cert?certName=} does (characters a file name cannot have, like a wildcard's {@code *},
 * become {@code _}).
 *
 * <p>Unlike Docker Flow Proxy, which stored whatever it got before it looked at the service, a bad
 * PEM or a bad service answers 400 and changes nothing: the PEM is validated first, then the
 * service is applied, and only an applied service has its certificate stored. The PEM is never
 * kept with the service's parameters (the state file and {@code config?type=json} do not carry
 * private keys).
 */
final class ServiceCerts {

    private ServiceCerts() {
    }

    static void reconfigure(RoutingContext ctx, ServiceRegistry registry, CertificateAdmin certs,
                            Map<String, List<String>> params, String escapedPem) {
        if (certs == null) {
            nok(ctx, 400, "serviceCert: this Sluice runs without a certificate store", params);
            return;
        }
        String pem = escapedPem.replace("\\n", "\n");
        ServiceSpec spec;
        try {
            spec = registry.parse(params);
        } catch (ServiceException e) {
            nok(ctx, e.status(), e.getMessage(), params);
            return;
        }
        String certName = certName(spec);
        ctx.vertx().<Void>executeBlocking(() -> {
            certs.validate(certName, pem);
            return null;
        }, false).onComplete(valid -> {
            if (valid.failed()) {
                Throwable e = valid.cause();
                nok(ctx, e instanceof IllegalArgumentException ? 400 : 500,
                        "serviceCert: " + e.getMessage() + "; nothing changed", params);
                return;
            }
            Future.fromCompletionStage(registry.reconfigure(params), ctx.vertx().getOrCreateContext())
                    .onComplete(applied -> {
                        if (applied.failed()) {
                            nok(ctx, 500, "internal error: " + applied.cause(), params);
                        } else if (applied.result().status() != 200) {
                            json(ctx, applied.result().status(), new JsonObject(applied.result().body()));
                        } else {
                            store(ctx, certs, certName, pem, applied.result());
                        }
                    });
        });
    }

    private static void store(RoutingContext ctx, CertificateAdmin certs, String certName, String pem, Outcome applied) {
        ctx.vertx().executeBlocking(() -> certs.put(certName, pem), false).onComplete(stored -> {
            JsonObject body = new JsonObject(applied.body());
            if (stored.failed()) {
                body.put("Status", "NOK").put("Message", "service " + spec(applied) + " is applied, but its certificate "
                        + certName + " could not be stored: " + stored.cause().getMessage());
                json(ctx, 500, body);
            } else {
                json(ctx, 200, body.put("CertName", certName));
            }
        });
    }

    /** Docker Flow Proxy's choice: the first destination's first domain, else the service's name. */
    static String certName(ServiceSpec spec) {
        List<Destination> dests = spec.destinations();
        if (dests.isEmpty() || dests.get(0).serviceDomain().isEmpty()) {
            return spec.serviceName();
        }
        // a wildcard domain names a file too: "*.example.com" is stored as "_.example.com"
        String domain = dests.get(0).serviceDomain().get(0);
        if (domain.startsWith(".")) { // "*.example.com" is kept as the suffix ".example.com"
            domain = "*" + domain;
        }
        return domain.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static Object spec(Outcome applied) {
        return applied.body().get("ServiceName");
    }

    private static void nok(RoutingContext ctx, int status, String message, Map<String, List<String>> params) {
        List<String> name = params.get("serviceName");
        json(ctx, status, new JsonObject().put("Status", "NOK").put("Message", message)
                .put("ServiceName", name == null ? "" : name.get(0)));
    }
}
