package dev.sluice.proxy;

import dev.sluice.routing.Backend;
import dev.sluice.routing.ForwardFor;
import dev.sluice.routing.Frontend;
import io.netty.handler.codec.http.HttpHeaders;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * {@code option forwardfor}: appends the client address in {@code X-Forwarded-For} (or the
 * configured header) as HAProxy does, and sets {@code X-Forwarded-Proto} and
 * {@code X-Forwarded-Port} to what the client connected to.
 */
final class ForwardedHeaders {

    private ForwardedHeaders() {
    }

    static void apply(HttpHeaders headers, Frontend frontend, Backend backend, HttpRequestView view) {
        ForwardFor ff = backend.forwardFor() != null ? backend.forwardFor() : frontend.forwardFor();
        if (ff == null) {
            return;
        }
        InetAddress client = view.clientAddress();
        if (ff.appliesTo(client)) {
            headers.add(ff.header(), addressText(client));
        }
        headers.set("X-Forwarded-Proto", view.sni() != null ? "https" : "http");
        headers.set("X-Forwarded-Port", Integer.toString(view.localPort()));
    }

    static String addressText(InetAddress address) {
        String text = address.getHostAddress();
        if (address instanceof Inet6Address) {
            int zone = text.indexOf('%');
            if (zone > 0) {
                text = text.substring(0, zone);
            }
        }
        return text;
    }
}
