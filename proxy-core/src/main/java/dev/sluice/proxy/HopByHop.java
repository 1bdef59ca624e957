package dev.sluice.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Removes hop-by-hop headers (RFC 9110 section 7.6.1) before a message is forwarded:
 * {@code Connection} and the headers it names, {@code Keep-Alive}, {@code Proxy-Connection},
 * {@code TE}, {@code Trailer}, and {@code Upgrade} unless the request asks to upgrade.
 * {@code Transfer-Encoding} stays: the codec frames the body by it.
 */
final class HopByHop {

    /** {@link #stripResponse}'s result: a {@code Connection} header named {@code close}. */
    static final int CLOSE = 1;
    /** {@link #stripResponse}'s result: a {@code Connection} header named {@code keep-alive}. */
    static final int KEEP_ALIVE = 2;

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

    /**
     * Strips a response's hop-by-hop headers; returns which of {@link #CLOSE} and
     * {@link #KEEP_ALIVE} its {@code Connection} headers named (read once, for {@link #keepAlive}).
     */
    static int stripResponse(HttpHeaders headers) {
        int said = removeConnectionTokens(headers, false);
        headers.remove(HttpHeaderNames.KEEP_ALIVE);
        headers.remove(HttpHeaderNames.PROXY_CONNECTION);
        headers.remove(HttpHeaderNames.TRAILER);
        headers.remove(HttpHeaderNames.UPGRADE);
        return said;
    }

    /**
     * Whether a message keeps its connection open, from what its {@code Connection} headers said
     * ({@link #stripResponse}) and its version: as Netty's {@code HttpUtil.isKeepAlive}.
     */
    static boolean keepAlive(int said, HttpVersion version) {
        return (said & CLOSE) == 0 && (version.isKeepAliveDefault() || (said & KEEP_ALIVE) != 0);
    }

    /** Whether a {@code TE} header lists {@code trailers} (the one TE value HTTP/2 allows). */
    static boolean acceptsTrailers(HttpHeaders headers) {
        if (!headers.contains(HttpHeaderNames.TE)) {
            return false;
        }
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

    /**
     * Scans the tokens in place (every message has a {@code Connection} header, nearly always
     * {@code keep-alive} or {@code close}: no list, no split, no substring for those); the headers
     * named by other tokens are removed once the scan is over.
     */
    private static int removeConnectionTokens(HttpHeaders headers, boolean keepUpgrade) {
        if (!headers.contains(HttpHeaderNames.CONNECTION)) {
            return 0;
        }
        int said = 0;
        List<String> named = null;
        for (Iterator<? extends CharSequence> it = headers.valueCharSequenceIterator(HttpHeaderNames.CONNECTION);
             it.hasNext(); ) {
            String value = it.next().toString();
            int end = -1;
            while (end < value.length()) {
                int start = end + 1;
                end = value.indexOf(',', start);
                if (end < 0) {
                    end = value.length();
                }
                // trimmed as String.trim() does
                int from = start;
                int to = end;
                while (from < to && value.charAt(from) <= ' ') {
                    from++;
                }
                while (to > from && value.charAt(to - 1) <= ' ') {
                    to--;
                }
                if (is(value, from, to, "close")) {
                    said |= CLOSE;
                    continue;
                }
                if (is(value, from, to, "keep-alive")) {
                    said |= KEEP_ALIVE;
                    continue;
                }
                if (from == to || (keepUpgrade && is(value, from, to, "upgrade"))) {
                    continue;
                }
                if (named == null) {
                    named = new ArrayList<>(2);
                }
                named.add(value.substring(from, to));
            }
        }
        if (named != null) {
            for (String name : named) {
                headers.remove(name);
            }
        }
        headers.remove(HttpHeaderNames.CONNECTION);
        return said;
    }

    /** Whether {@code value} from {@code from} to {@code to} is {@code word}, ignoring case. */
    private static boolean is(String value, int from, int to, String word) {
        return to - from == word.length() && value.regionMatches(true, from, word, 0, word.length());
    }
}
