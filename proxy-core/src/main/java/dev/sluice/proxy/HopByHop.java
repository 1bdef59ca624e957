package dev.sluice.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.List;

/**
 * Removes hop-by-hop headers (RFC 9110 section 7.6.1) before a message is forwarded:
 * {@code Connection} and the headers it names, {@code Keep-Alive}, {@code Proxy-Connection},
 * {@code TE}, {@code Trailer}, and {@code Upgrade} unless the request asks to upgrade.
 * {@code Transfer-Encoding} stays: the codec frames the body by it.
 */
final class HopByHop {

    private HopByHop() {
    }

    static void stripRequest(HttpHeaders headers) {
        boolean upgrade = isUpgrade(headers);
        removeConnectionTokens(headers, upgrade);
        headers.remove(HttpHeaderNames.KEEP_ALIVE);
        headers.remove(HttpHeaderNames.PROXY_CONNECTION);
        headers.remove(HttpHeaderNames.TE);
        headers.remove(HttpHeaderNames.TRAILER);
        if (upgrade) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        } else {
            headers.remove(HttpHeaderNames.UPGRADE);
        }
    }

    static void stripResponse(HttpHeaders headers) {
        removeConnectionTokens(headers, false);
        headers.remove(HttpHeaderNames.KEEP_ALIVE);
        headers.remove(HttpHeaderNames.PROXY_CONNECTION);
        headers.remove(HttpHeaderNames.TRAILER);
        headers.remove(HttpHeaderNames.UPGRADE);
    }

    /** Whether a {@code TE} header lists {@code trailers} (the one TE value HTTP/2 allows). */
    static boolean acceptsTrailers(HttpHeaders headers) {
        for (String value : headers.getAll(HttpHeaderNames.TE)) {
            for (String token : value.split(",")) {
                int semicolon = token.indexOf(';');
                String name = (semicolon < 0 ? token : token.substring(0, semicolon)).trim();
                if (name.equalsIgnoreCase("trailers")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether the request asks to switch protocols ({@code Connection: upgrade} and {@code Upgrade}). */
    static boolean isUpgrade(HttpHeaders headers) {
        return headers.contains(HttpHeaderNames.UPGRADE)
                && headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    private static void removeConnectionTokens(HttpHeaders headers, boolean keepUpgrade) {
        List<String> values = headers.getAll(HttpHeaderNames.CONNECTION);
        if (values.isEmpty()) {
            return;
        }
        for (String value : values) {
            for (String token : value.split(",")) {
                String name = token.trim();
                if (name.isEmpty() || (keepUpgrade && name.equalsIgnoreCase("upgrade"))) {
                    continue;
                }
                if (!name.equalsIgnoreCase("close") && !name.equalsIgnoreCase("keep-alive")) {
                    headers.remove(name);
                }
            }
        }
        headers.remove(HttpHeaderNames.CONNECTION);
    }
}
