package dev.sluice.routing.acl;

import dev.sluice.routing.RequestView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fetches Sluice knows, with HAProxy's names: what a fetch extracts from a request, its type
 * and its default match method ({@code path_beg} is {@code path} with {@code -m beg}).
 */
public enum Fetch {
    PATH(Type.STRING, false),
    URL(Type.STRING, false),
    BASE(Type.STRING, false),
    HDR(Type.STRING, true),
    HDR_CNT(Type.INTEGER, true),
    METHOD(Type.STRING, false),
    SNI(Type.STRING, false),
    SRC(Type.ADDRESS, false),
    DST_PORT(Type.INTEGER, false),
    SSL_FC(Type.BOOLEAN, false),
    /** {@code req.ssl_hello_type}: the handshake type of a TLS record the client sent, not deciphered. */
    SSL_HELLO_TYPE(Type.INTEGER, false),
    HTTP_AUTH(Type.BOOLEAN, true),
    ALWAYS_TRUE(Type.BOOLEAN, false),
    ALWAYS_FALSE(Type.BOOLEAN, false),
    SSL_C_USED(Type.BOOLEAN, false),
    SSL_C_VERIFY(Type.INTEGER, false),
    /** The client certificate's subject DN; with an argument, the value of that entry ({@code ssl_c_s_dn(CN)}). */
    SSL_C_S_DN(Type.STRING, false),
    SSL_C_I_DN(Type.STRING, false);

    public enum Type { STRING, INTEGER, ADDRESS, BOOLEAN }

    /** A fetch keyword resolved: the fetch and the match method its name implies. */
    public record Resolved(Fetch fetch, String defaultMatch) {

        /**
         * The match method of {@code expr}: its {@code -m}, else the keyword's own; with converters
         * HAProxy drops the keyword's method ({@code path_beg,lower} matches whole strings).
         */
        public String matchOf(dev.sluice.routing.config.AclExpr expr) {
            if (expr.match() != null) {
                return expr.match();
            }
            if (expr.converters().isEmpty()) {
                return defaultMatch;
            }
            return switch (fetch.type()) {
                case STRING -> "str";
                case INTEGER -> "int";
                case ADDRESS -> "ip";
                case BOOLEAN -> "bool";
            };
        }
    }

    private static final Map<String, Resolved> KEYWORDS = keywords();

    private final Type type;
    private final boolean needsArg;

    Fetch(Type type, boolean needsArg) {
        this.type = type;
        this.needsArg = needsArg;
    }

    public Type type() {
        return type;
    }

    public boolean needsArg() {
        return needsArg;
    }

    /**
     * Whether this fetch reads the TLS ClientHello from the client's data as it arrives
     * ({@code req.ssl_sni}, {@code req.ssl_hello_type}): while {@link RequestView#helloPending()}
     * its sample may still change, so a {@code tcp-request content} rule waits for it.
     */
    public boolean readsClientHello() {
        return this == SNI || this == SSL_HELLO_TYPE;
    }

    /** Whether the fetch takes an argument without needing one. */
    public boolean optionalArg() {
        return this == SSL_C_S_DN || this == SSL_C_I_DN;
    }

    /** The fetch keyword {@code name}, or {@code null} when Sluice does not know it. */
    public static Resolved resolve(String name) {
        return KEYWORDS.get(name);
    }

    public static String knownNames() {
        return String.join(", ", new java.util.TreeSet<>(KEYWORDS.keySet()));
    }

    private static Map<String, Resolved> keywords() {
        Map<String, Resolved> m = new java.util.HashMap<>();
        String[] suffixes = {"beg", "end", "sub", "reg", "dir", "dom", "len"};
        for (String base : new String[] {"path", "url", "base", "hdr"}) {
            Fetch f = base.equals("hdr") ? HDR : Fetch.valueOf(base.toUpperCase(java.util.Locale.ROOT));
            m.put(base, new Resolved(f, "str"));
            for (String s : suffixes) {
                m.put(base + '_' + s, new Resolved(f, s));
            }
        }
        m.put("req.hdr", new Resolved(HDR, "str"));
        m.put("hdr_cnt", new Resolved(HDR_CNT, "int"));
        m.put("req.hdr_cnt", new Resolved(HDR_CNT, "int"));
        m.put("method", new Resolved(METHOD, "str"));
        m.put("req.ssl_sni", new Resolved(SNI, "str"));
        m.put("req_ssl_sni", new Resolved(SNI, "str"));
        m.put("ssl_fc_sni", new Resolved(SNI, "str"));
        m.put("src", new Resolved(SRC, "ip"));
        m.put("dst_port", new Resolved(DST_PORT, "int"));
        m.put("ssl_fc", new Resolved(SSL_FC, "bool"));
        m.put("req.ssl_hello_type", new Resolved(SSL_HELLO_TYPE, "int"));
        m.put("req_ssl_hello_type", new Resolved(SSL_HELLO_TYPE, "int"));
        m.put("http_auth", new Resolved(HTTP_AUTH, "bool"));
        m.put("always_true", new Resolved(ALWAYS_TRUE, "bool"));
        m.put("always_false", new Resolved(ALWAYS_FALSE, "bool"));
        m.put("ssl_c_used", new Resolved(SSL_C_USED, "bool"));
        m.put("ssl_c_verify", new Resolved(SSL_C_VERIFY, "int"));
        m.put("ssl_c_s_dn", new Resolved(SSL_C_S_DN, "str"));
        m.put("ssl_c_i_dn", new Resolved(SSL_C_I_DN, "str"));
        return Map.copyOf(m);
    }

    /** The string samples of a {@link Type#STRING} fetch; empty when absent. */
    public static List<String> strings(Fetch fetch, String arg, RequestView request) {
        return switch (fetch) {
            case PATH -> single(request.path());
            case URL -> single(request.uri());
            case METHOD -> single(request.method());
            case SNI -> single(request.sni());
            case HDR -> headerValues(request, arg);
            case SSL_C_S_DN, SSL_C_I_DN -> {
                dev.sluice.routing.ClientCertificate c = request.clientCertificate();
                if (c == null) {
                    yield List.of();
                }
                List<dev.sluice.routing.ClientCertificate.DnEntry> dn = fetch == SSL_C_S_DN ? c.subject() : c.issuer();
                yield single(arg == null ? dev.sluice.routing.ClientCertificate.oneLine(dn)
                        : dev.sluice.routing.ClientCertificate.entry(dn, arg));
            }
            case BASE -> {
                List<String> host = request.headerLines("host");
                String path = request.path();
                // HAProxy's base: the first Host value and the path, or the path alone without Host
                yield path == null ? List.of() : List.of(host.isEmpty() ? path : host.get(0).trim() + path);
            }
            default -> List.of();
        };
    }

    private static List<String> single(String s) {
        return s == null ? List.of() : List.of(s);
    }

    /** HAProxy's {@code hdr(NAME)}: every value of every line, split on commas, trimmed. */
    public static List<String> headerValues(RequestView request, String name) {
        List<String> lines = request.headerLines(name);
        if (lines.isEmpty()) {
            return List.of();
        }
        if (lines.size() == 1 && lines.get(0).indexOf(',') < 0) {
            return List.of(lines.get(0).trim());
        }
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            int start = 0;
            while (true) {
                int comma = line.indexOf(',', start);
                int end = comma < 0 ? line.length() : comma;
                out.add(line.substring(start, end).trim());
                if (comma < 0) {
                    break;
                }
                start = comma + 1;
            }
        }
        return out;
    }
}
