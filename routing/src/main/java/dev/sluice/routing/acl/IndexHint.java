package dev.sluice.routing.acl;

import dev.sluice.routing.config.AclExpr;
import java.util.List;

/**
 * Literal keys under which an ACL test can only hold: a request whose (ASCII-lowercased) path or
 * Host value has none of these keys, in the sense of {@link Kind}, cannot match the test. Route
 * lookup uses them to skip rules without evaluating them.
 */
public record IndexHint(Kind kind, List<String> keys) {

    public enum Kind {
        /** path equals a key. */
        PATH_EXACT,
        /** path starts with a key. */
        PATH_PREFIX,
        /** a Host value equals a key. */
        HOST_EXACT,
        /** a Host value starts with a key. */
        HOST_PREFIX,
        /** a Host value has a delimited word sequence equal to a key (HAProxy's {@code -m dom}). */
        HOST_DOMAIN
    }

    public IndexHint {
        keys = List.copyOf(keys);
    }

    /** The hint of {@code expr}, or {@code null} when it cannot be indexed. */
    public static IndexHint of(AclExpr expr) {
        Fetch.Resolved resolved = Fetch.resolve(expr.fetch());
        if (resolved == null || expr.patterns().isEmpty()
            || !expr.converters().stream().allMatch("lower"::equals)) {
            return null;
        }
        String method = resolved.matchOf(expr);
        boolean host = resolved.fetch() == Fetch.HDR && "host".equalsIgnoreCase(expr.arg());
        Kind kind = null;
        if (resolved.fetch() == Fetch.PATH) {
            kind = method.equals("str") ? Kind.PATH_EXACT : method.equals("beg") ? Kind.PATH_PREFIX : null;
        } else if (host) {
            kind = switch (method) {
                case "str" -> Kind.HOST_EXACT;
                case "beg" -> Kind.HOST_PREFIX;
                case "dom" -> Kind.HOST_DOMAIN;
                default -> null;
            };
        }
        if (kind == null) {
            return null;
        }
        List<String> keys = expr.patterns().stream().map(Ascii::lower).toList();
        if (kind == Kind.HOST_DOMAIN) {
            keys = keys.stream().map(k -> StringMatcher.stripDelimiters(k, DOMAIN_DELIMITERS)).toList();
            if (keys.contains("")) {
                return null;
            }
        }
        return new IndexHint(kind, keys);
    }

    public static final String DOMAIN_DELIMITERS = "/?.:";
}
