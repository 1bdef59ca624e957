package dev.sluice.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

import java.util.Iterator;

/**
 * Checks of the request target and Host that HAProxy makes before routing (RFC 9112 section
 * 3.2), so a request cannot be routed by one host and delivered to another. Invalid: a target
 * that is neither origin form ({@code /path}), absolute form ({@code http://host/path}) nor
 * {@code OPTIONS *}; several Host headers with different values; no Host in an HTTP/1.1
 * request; an absolute-form target whose authority differs from the Host header or has none
 * to compare with (the origin would serve the target's host while routing saw no host).
 */
final class RequestTarget {

    private RequestTarget() {
    }

    static boolean isValid(HttpRequest request) {
        // the values one by one, without a list of them (every request has a Host)
        String host = null;
        for (Iterator<? extends CharSequence> it = request.headers().valueCharSequenceIterator(HttpHeaderNames.HOST);
             it.hasNext(); ) {
            String value = it.next().toString();
            if (host == null) {
                host = value;
            } else if (!value.equalsIgnoreCase(host)) {
                return false;
            }
        }
        if (host == null && !request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            return false;
        }
        String uri = request.uri();
        if (uri.startsWith("/")) {
            return true;
        }
        if (uri.equals("*")) {
            return request.method().equals(HttpMethod.OPTIONS);
        }
        String authority = authorityOf(uri);
        if (authority == null) {
            return false;
        }
        return host != null && host.equalsIgnoreCase(authority);
    }

    /** The authority of an absolute {@code http} or {@code https} URI, or {@code null}. */
    static String authorityOf(String uri) {
        int start;
        if (uri.regionMatches(true, 0, "http://", 0, 7)) {
            start = 7;
        } else if (uri.regionMatches(true, 0, "https://", 0, 8)) {
            start = 8;
        } else {
            return null;
        }
        int end = start;
        while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
            end++;
        }
        return end == start ? null : uri.substring(start, end);
    }
}
