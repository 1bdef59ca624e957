package dev.sluice.proxy;

import io.netty.handler.codec.DefaultHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.AsciiString;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Shared constants for the words most HTTP/1 heads are made of, so that the decoders of
 * {@link ClientConnectionCodec} and {@link OriginConnectionCodec} need not copy them into a new
 * object for every message: common header names (as most software writes them, and in lower
 * case), the request methods, the response line's version, common status codes and {@code OK}. A constant is returned
 * only when the bytes are exactly its bytes, so what is relayed is what was received.
 */
final class KnownWords {

    private static final String[] HEADER_NAMES = {
        "Accept", "Accept-Charset", "Accept-Encoding", "Accept-Language", "Accept-Ranges", "Age",
        "Access-Control-Allow-Origin", "Authorization", "Cache-Control", "Connection", "Content-Disposition",
        "Content-Encoding", "Content-Language", "Content-Length", "Content-Range", "Content-Security-Policy",
        "Content-Type", "Cookie", "Date", "DNT", "ETag", "Expect", "Expires", "Forwarded", "Host",
        "If-Modified-Since", "If-None-Match", "Keep-Alive", "Last-Modified", "Link", "Location", "Origin",
        "Pragma", "Range", "Referer", "Sec-Fetch-Dest", "Sec-Fetch-Mode", "Sec-Fetch-Site", "Server",
        "Set-Cookie", "Strict-Transport-Security", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
        "Upgrade-Insecure-Requests", "User-Agent", "Vary", "Via", "X-Content-Type-Options",
        "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Port", "X-Forwarded-Proto", "X-Frame-Options",
        "X-Real-IP", "X-Request-ID", "X-Requested-With",
    };

    /** By length, the names of that length. */
    private static final AsciiString[][] NAMES_BY_LENGTH = byLength(HEADER_NAMES);

    private static final String[] STATUS_CODES = {
        "100", "101", "200", "201", "202", "204", "206", "301", "302", "303", "304", "307", "308", "400", "401",
        "403", "404", "405", "409", "410", "412", "413", "416", "429", "500", "501", "502", "503", "504",
    };

    // literals, not HttpVersion.text(): HttpVersion.valueOf takes its fast path for the literal
    // (an identity check) and parses any other string equal to it
    private static final String HTTP_1_1 = "HTTP/1.1";
    private static final String HTTP_1_0 = "HTTP/1.0";

    private static final HttpMethod[] METHODS = {
        HttpMethod.GET, HttpMethod.POST, HttpMethod.HEAD, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.OPTIONS,
        HttpMethod.PATCH, HttpMethod.CONNECT, HttpMethod.TRACE,
    };

    private KnownWords() {
    }

    /** The shared name whose bytes are those {@code length} bytes of {@code sb} from {@code start}, or null. */
    static AsciiString headerName(byte[] sb, int start, int length) {
        AsciiString[] candidates = length < NAMES_BY_LENGTH.length ? NAMES_BY_LENGTH[length] : null;
        if (candidates != null) {
            for (AsciiString name : candidates) {
                if (Arrays.equals(name.array(), name.arrayOffset(), name.arrayOffset() + length, sb, start, start + length)) {
                    return name;
                }
            }
        }
        return null;
    }

    /**
     * Whether {@code name} is one of the shared names that {@link #headerName} returns (the same
     * object: a name equal to one but decoded apart is not).
     */
    static boolean isShared(CharSequence name) {
        int length = name.length();
        AsciiString[] candidates = length < NAMES_BY_LENGTH.length ? NAMES_BY_LENGTH[length] : null;
        if (candidates != null) {
            for (AsciiString shared : candidates) {
                if (shared == name) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The decoders' headers: as Netty's default, but a shared name (valid, checked once here)
     * is not checked again for every message it is added to.
     */
    static final DefaultHttpHeadersFactory HEADERS = headersFactory();

    private static DefaultHttpHeadersFactory headersFactory() {
        DefaultHttpHeadersFactory defaults = DefaultHttpHeadersFactory.headersFactory();
        DefaultHeaders.NameValidator<CharSequence> validate = defaults.getNameValidator();
        for (AsciiString[] names : NAMES_BY_LENGTH) {
            if (names != null) {
                for (AsciiString name : names) {
                    validate.validateName(name);
                }
            }
        }
        return defaults.withNameValidator(name -> {
            if (!isShared(name)) {
                validate.validateName(name);
            }
        });
    }

    /** A request method of RFC 9110 as the shared string ({@link HttpMethod#name()}), or null. */
    static String method(byte[] sb, int start, int length) {
        for (HttpMethod m : METHODS) {
            if (is(m.name(), sb, start, length)) {
                return m.name();
            }
        }
        return null;
    }

    /** {@code HTTP/1.1} or {@code HTTP/1.0} as the shared string, or null. */
    static String version(byte[] sb, int start, int length) {
        if (is(HTTP_1_1, sb, start, length)) {
            return HTTP_1_1;
        }
        return is(HTTP_1_0, sb, start, length) ? HTTP_1_0 : null;
    }

    /** A common status code (three digits) as a shared string, or null. */
    static String statusCode(byte[] sb, int start, int length) {
        if (length == 3) {
            for (String code : STATUS_CODES) {
                if (is(code, sb, start, length)) {
                    return code;
                }
            }
        }
        return null;
    }

    /** {@code OK} as the shared string, or null. */
    static String reason(byte[] sb, int start, int length) {
        return is("OK", sb, start, length) ? "OK" : null;
    }

    private static boolean is(String word, byte[] sb, int start, int length) {
        if (word.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (sb[start + i] != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static AsciiString[][] byLength(String[] names) {
        int longest = 0;
        for (String n : names) {
            longest = Math.max(longest, n.length());
        }
        List<List<AsciiString>> lists = new ArrayList<>();
        for (int i = 0; i <= longest; i++) {
            lists.add(new ArrayList<>());
        }
        for (String n : names) {
            lists.get(n.length()).add(AsciiString.cached(n));
            lists.get(n.length()).add(AsciiString.cached(n.toLowerCase(Locale.ROOT)));
        }
        AsciiString[][] table = new AsciiString[longest + 1][];
        for (int i = 0; i <= longest; i++) {
            table[i] = lists.get(i).isEmpty() ? null : lists.get(i).toArray(new AsciiString[0]);
        }
        return table;
    }
}
