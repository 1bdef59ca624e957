package dev.sluice.proxy;

import dev.sluice.routing.Server;
import dev.sluice.routing.StickyCookie;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.ArrayList;
import java.util.List;

/**
 * Cookie persistence as HAProxy's {@code cookie NAME insert indirect nocache}: the request's
 * {@code NAME} cookie picks the server, {@code indirect} hides the cookie from it, and a response
 * from a server the client did not name gets {@code Set-Cookie} ({@code nocache}: and
 * {@code Cache-Control: private} if a shared cache could keep it). Only backends that declare a
 * cookie pay for any of it.
 */
final class StickyCookies {

    private StickyCookies() {
    }

    /** The value of cookie {@code name} in the request's {@code Cookie} headers, or {@code null}. */
    static String value(HttpHeaders headers, String name) {
        for (String header : headers.getAll(HttpHeaderNames.COOKIE)) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
                    return pair.substring(eq + 1).trim();
                }
            }
        }
        return null;
    }

    /** Removes cookie {@code name} from the request, dropping a {@code Cookie} header left empty. */
    static void remove(HttpHeaders headers, String name) {
        List<String> kept = new ArrayList<>();
        for (String header : headers.getAll(HttpHeaderNames.COOKIE)) {
            List<String> pairs = new ArrayList<>();
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                String key = (eq > 0 ? pair.substring(0, eq) : pair).trim();
                if (!key.equals(name) && !pair.isBlank()) {
                    pairs.add(pair.trim());
                }
            }
            if (!pairs.isEmpty()) {
                kept.add(String.join("; ", pairs));
            }
        }
        headers.remove(HttpHeaderNames.COOKIE);
        for (String header : kept) {
            headers.add(HttpHeaderNames.COOKIE, header);
        }
    }

    /**
     * Adds {@code Set-Cookie} (and with {@code nocache} {@code Cache-Control: private}) to a
     * response {@code served} gave, unless the request already named that server.
     */
    static void onResponse(StickyCookie cookie, Server served, String requested, HttpHeaders response) {
        if (!cookie.insert() || served == null || served.cookie() == null || served.cookie().equals(requested)) {
            return;
        }
        response.add(HttpHeaderNames.SET_COOKIE, cookie.setCookie(served.cookie()));
        if (cookie.nocache() && cacheable(response)) {
            response.set(HttpHeaderNames.CACHE_CONTROL, "private");
        }
    }

    /**
     * Whether a shared cache could keep this response (and the cookie with it): it says how long
     * it is fresh or how to revalidate it, and does not already forbid sharing. HAProxy marks
     * only such responses {@code private}; a response without any of it is not touched.
     */
    static boolean cacheable(HttpHeaders response) {
        String cc = response.get(HttpHeaderNames.CACHE_CONTROL);
        if (cc != null) {
            String lower = cc.toLowerCase(java.util.Locale.ROOT);
            if (lower.contains("private") || lower.contains("no-cache") || lower.contains("no-store")) {
                return false;
            }
            if (lower.contains("max-age") || lower.contains("public")) {
                return true;
            }
        }
        return response.contains(HttpHeaderNames.EXPIRES) || response.contains(HttpHeaderNames.LAST_MODIFIED)
                || response.contains(HttpHeaderNames.ETAG);
    }
}
