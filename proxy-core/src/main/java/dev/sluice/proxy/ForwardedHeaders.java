package dev.sluice.proxy;

import dev.sluice.routing.Backend;
import dev.sluice.routing.ForwardFor;
import dev.sluice.routing.Frontend;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * {@code option forwardfor}: appends the client address in {@code X-Forwarded-For} (or the
 * configured header) as HAProxy does, and sets {@code X-Forwarded-Proto} and
 * {@code X-Forwarded-Port} to what the client connected to.
 */
final class ForwardedHeaders {

    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString X_FORWARDED_PORT = AsciiString.cached("x-forwarded-port");

    private ForwardedHeaders() {
    }

    static void apply(HttpHeaders headers, Frontend frontend, Backend backend, HttpRequestView view) {
        ForwardFor ff = backend.forwardFor() != null ? backend.forwardFor() : frontend.forwardFor();
        if (ff == null) {
            return;
        }
        ConnectionInfo c = view.connection();
        if (ff.appliesTo(c.client())) {
            headers.add(ff.header(), c.clientText());
        }
        headers.set(X_FORWARDED_PROTO, view.isTls() ? "https" : "http");
        headers.set(X_FORWARDED_PORT, c.localPortText());
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
