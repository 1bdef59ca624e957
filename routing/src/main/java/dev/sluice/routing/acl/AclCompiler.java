package dev.sluice.routing.acl;

import dev.sluice.routing.Condition;
import dev.sluice.routing.RequestView;
import dev.sluice.routing.config.AclExpr;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** Compiles one ACL test ({@link AclExpr}) into a {@link Condition}, with HAProxy's semantics. */
public final class AclCompiler {

    static final Set<String> STRING_METHODS =
            Set.of("str", "beg", "end", "sub", "reg", "dom", "dir", "len", "found");
    static final Set<String> CONVERTERS = Set.of("lower", "upper");

    private AclCompiler() {
    }

    /**
     * @param userlists the compiled userlist of a name, or {@code null} when there is none
     * @throws IllegalArgumentException naming what is wrong and what was expected
     */
    public static Condition compile(AclExpr expr, Function<String, BasicAuth> userlists) {
        Fetch.Resolved resolved = Fetch.resolve(expr.fetch());
        if (resolved == null) {
            throw new IllegalArgumentException("unknown fetch '" + expr.fetch() + "' (expected one of: "
                    + Fetch.knownNames() + ")");
        }
        Fetch fetch = resolved.fetch();
        checkArgument(expr, fetch);
        for (String c : expr.converters()) {
            if (!CONVERTERS.contains(c)) {
                throw new IllegalArgumentException("unknown converter '" + c + "' (expected lower or upper)");
            }
        }
        String method = resolved.matchOf(expr);
        return switch (fetch.type()) {
            case STRING -> stringCondition(expr, fetch, method);
            case INTEGER -> integerCondition(expr, fetch, method);
            case ADDRESS -> addressCondition(expr, method);
            case BOOLEAN -> booleanCondition(expr, fetch, method, userlists);
        };
    }

    private static void checkArgument(AclExpr expr, Fetch fetch) {
        if (fetch.needsArg() && (expr.arg() == null || expr.arg().isEmpty())) {
            throw new IllegalArgumentException("'" + expr.fetch() + "' needs an argument (expected "
                    + expr.fetch() + (fetch == Fetch.HTTP_AUTH ? "(USERLIST))" : "(NAME))"));
        }
        if (!fetch.needsArg() && !fetch.optionalArg() && expr.arg() != null) {
            throw new IllegalArgumentException("'" + expr.fetch() + "' takes no argument");
        }
        if (expr.arg() != null && expr.arg().indexOf(',') >= 0) {
            throw new IllegalArgumentException("'" + expr.sampleText()
                    + "': only one argument is supported (expected " + expr.fetch() + "(NAME))");
        }
    }

    private static Condition stringCondition(AclExpr expr, Fetch fetch, String method) {
        if (!STRING_METHODS.contains(method)) {
            throw new IllegalArgumentException("match method '-m " + method + "' does not apply to '"
                    + expr.fetch() + "' (expected one of: beg, dir, dom, end, found, len, reg, str, sub)");
        }
        String arg = expr.arg();
        Function<String, String> convert = converter(expr.converters());
        if (method.equals("found")) {
            return r -> !Fetch.strings(fetch, arg, r).isEmpty();
        }
        StringMatcher matcher = fetch == Fetch.METHOD && method.equals("str")
                ? methodMatcher(expr.patterns(), expr.ignoreCase())
                : StringMatcher.of(method, expr.patterns(), expr.ignoreCase());
        if (expr.patterns().isEmpty()) {
            return r -> false;
        }
        return r -> {
            for (String s : Fetch.strings(fetch, arg, r)) {
                if (matcher.matches(convert.apply(s))) {
                    return true;
                }
            }
            return false;
        };
    }

    private static final Set<String> KNOWN_METHODS =
            Set.of("OPTIONS", "GET", "HEAD", "POST", "PUT", "DELETE", "TRACE", "CONNECT");

    /**
     * HAProxy's {@code method}: a pattern naming a standard method matches exactly that method
     * ({@code -i} does not apply, so {@code -i get} never matches GET); any other pattern only
     * matches a non-standard method, then honouring {@code -i}.
     */
    private static StringMatcher methodMatcher(List<String> patterns, boolean ignoreCase) {
        return m -> {
            boolean known = KNOWN_METHODS.contains(m);
            for (String p : patterns) {
                if (KNOWN_METHODS.contains(p)) {
                    if (p.equals(m)) {
                        return true;
                    }
                } else if (!known && (ignoreCase ? Ascii.lower(p).equals(Ascii.lower(m)) : p.equals(m))) {
                    return true;
                }
            }
            return false;
        };
    }

    private static Function<String, String> converter(List<String> converters) {
        Function<String, String> f = Function.identity();
        for (String c : converters) {
            f = f.andThen(c.equals("lower") ? Ascii::lower : Ascii::upper);
        }
        return f;
    }

    private static Condition integerCondition(AclExpr expr, Fetch fetch, String method) {
        if (method.equals("found")) {
            return fetch == Fetch.SSL_HELLO_TYPE ? r -> r.sslHelloType() >= 0 : r -> true;
        }
        if (!method.equals("int")) {
            throw new IllegalArgumentException("match method '-m " + method + "' does not apply to integer fetch '"
                    + expr.fetch() + "' (expected int or found)");
        }
        List<IntRange> ranges = IntRange.parseAll(expr.patterns());
        String arg = expr.arg();
        if (fetch == Fetch.SSL_C_VERIFY) {
            // no sample without TLS: the ACL does not match (HAProxy); 0 when no certificate was presented
            return r -> {
                if (!r.isTls()) {
                    return false;
                }
                long v = r.clientCertificate() == null ? 0 : r.clientCertificate().verify();
                for (IntRange range : ranges) {
                    if (range.contains(v)) {
                        return true;
                    }
                }
                return false;
            };
        }
        return r -> {
            long v = switch (fetch) {
                case DST_PORT -> r.localPort();
                case SSL_HELLO_TYPE -> r.sslHelloType();
                default -> Fetch.headerValues(r, arg).size();
            };
            if (v < 0) {
                return false; // no sample
            }
            for (IntRange range : ranges) {
                if (range.contains(v)) {
                    return true;
                }
            }
            return false;
        };
    }

    private static Condition addressCondition(AclExpr expr, String method) {
        if (method.equals("found")) {
            return r -> r.clientAddress() != null;
        }
        if (!method.equals("ip")) {
            throw new IllegalArgumentException("match method '-m " + method + "' does not apply to address fetch '"
                    + expr.fetch() + "' (expected ip or found)");
        }
        List<IpNet> nets = new ArrayList<>();
        for (String p : expr.patterns()) {
            nets.add(IpNet.parse(p));
        }
        return r -> {
            if (r.clientAddress() == null) {
                return false;
            }
            byte[] addr = IpNet.normalize(r.clientAddress().getAddress());
            for (IpNet n : nets) {
                if (n.contains(addr)) {
                    return true;
                }
            }
            return false;
        };
    }

    private static Condition booleanCondition(AclExpr expr, Fetch fetch, String method,
                                              Function<String, BasicAuth> userlists) {
        if (!method.equals("bool") && !method.equals("found")) {
            throw new IllegalArgumentException("match method '-m " + method + "' does not apply to boolean fetch '"
                    + expr.fetch() + "' (expected bool or found)");
        }
        if (!expr.patterns().isEmpty()) {
            throw new IllegalArgumentException("'" + expr.fetch() + "' is a boolean fetch and takes no pattern");
        }
        return switch (fetch) {
            case SSL_FC -> RequestView::isTls;
            case SSL_C_USED -> r -> r.clientCertificate() != null;
            case ALWAYS_FALSE -> r -> false;
            case HTTP_AUTH -> {
                BasicAuth auth = userlists.apply(expr.arg());
                if (auth == null) {
                    throw new IllegalArgumentException("http_auth(" + expr.arg() + "): no userlist named '"
                            + expr.arg() + "' (expected the name of a userlist section)");
                }
                yield auth::check;
            }
            default -> Condition.ALWAYS;
        };
    }
}
