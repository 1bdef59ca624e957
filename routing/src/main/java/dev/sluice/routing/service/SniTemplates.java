package dev.sluice.routing.service;

import static dev.sluice.routing.config.ConfigRenderer.quote;

import java.util.ArrayList;
import java.util.List;

/**
 * The frontend Docker Flow Proxy generates for {@code reqMode=sni} destinations (its
 * {@code getFrontTemplateSNI}): one {@code frontend service_<srcPort>} per source port, shared by
 * every sni destination on that port, that waits up to 5 s for the client's TLS ClientHello and
 * sends the connection, still enciphered, to the backend whose server names match its SNI.
 * One deliberate difference: Docker Flow Proxy repeats {@code pathType} before each of several
 * servicePath values, which HAProxy reads as patterns; here they follow one {@code pathType}.
 */
final class SniTemplates {

    /** A destination of a service, and its position among the service's destinations (from 1). */
    record Entry(ServiceSpec service, Destination destination, int position) {
    }

    private SniTemplates() {
    }

    static String frontendName(int srcPort) {
        return "service_" + srcPort;
    }

    /** The frontend of {@code srcPort}; its backends are written by {@link ServiceTemplates#tcpBackend}. */
    static void frontend(int srcPort, List<Entry> entries, ServiceTemplates.Text out) {
        Destination first = entries.get(0).destination();
        out.owner(entries.get(0).service().serviceName());
        out.section("frontend " + frontendName(srcPort));
        out.line("bind *:" + srcPort);
        out.line("mode tcp");
        if (first.timeoutClient() >= 0) {
            out.line("timeout client " + first.timeoutClient() + "s");
        }
        out.line("tcp-request inspect-delay 5s");
        out.line("tcp-request content accept if { req_ssl_hello_type 1 }");
        for (Entry e : entries) {
            ServiceSpec s = e.service();
            Destination d = e.destination();
            out.owner(s.serviceName());
            String acl = "sni_" + s.aclName() + d.port() + "-" + e.position();
            List<String> names = new ArrayList<>();
            d.servicePath().forEach(p -> names.add(quote(p)));
            out.line("acl " + acl + " " + d.pathType() + " " + String.join(" ", names));
            out.line("use_backend " + ServiceTemplates.backendName(s, d) + " if " + acl);
        }
    }
}
