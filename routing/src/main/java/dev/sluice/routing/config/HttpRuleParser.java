package dev.sluice.routing.config;

import dev.sluice.routing.HttpAction.Redirect.Kind;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** {@code http-request ACTION ... [if|unless COND]} and {@code http-response ...}. */
final class HttpRuleParser {

    private static final String REQUEST_ACTIONS = "add-header, auth, del-header, deny, redirect, "
            + "replace-header, replace-path, return, set-header, set-path";
    private static final String RESPONSE_ACTIONS = "add-header, del-header, replace-header, set-header";

    private final ParseContext ctx;
    private final AclParser acls;

    HttpRuleParser(ParseContext ctx, AclParser acls) {
        this.ctx = ctx;
        this.acls = acls;
    }

    HttpRuleConfig request(ProxyBuilder b, List<String> w) {
        Values.arity(w, 1, "http-request ACTION [args] [if|unless CONDITION]");
        int end = conditionStart(w);
        List<String> a = w.subList(2, end);
        String action = w.get(1);
        String kw = "http-request " + action;
        ActionConfig config = switch (action) {
            case "redirect" -> redirect(kw, a);
            case "deny" -> deny(kw, a);
            case "auth" -> {
                if (!a.isEmpty() && (a.size() != 2 || !a.get(0).equals("realm"))) {
                    throw new ConfigException("'" + kw + "': expected 'auth [realm REALM]'");
                }
                yield new ActionConfig.Auth(a.isEmpty() ? b.name : a.get(1));
            }
            case "return" -> returnAction(kw, a);
            case "set-path" -> new ActionConfig.SetPath(literal(kw, exactly(kw, a, 1, "set-path PATH").get(0)));
            case "replace-path" -> {
                exactly(kw, a, 2, "replace-path REGEX REPLACEMENT");
                yield new ActionConfig.ReplacePath(regex(kw, a.get(0)), groups(kw, a.get(0), literal(kw, a.get(1))));
            }
            default -> headerAction(kw, action, a, REQUEST_ACTIONS);
        };
        return new HttpRuleConfig(config, end < w.size() ? acls.condition(w, end) : null);
    }

    /** The older {@code redirect scheme|location|prefix VALUE [code N] [if|unless COND]} keyword. */
    HttpRuleConfig redirectKeyword(List<String> w) {
        int end = conditionStart(w);
        if (end < 2) {
            end = w.size();
        }
        ActionConfig config = redirect("redirect", w.subList(1, end));
        return new HttpRuleConfig(config, end < w.size() ? acls.condition(w, end) : null);
    }

    HttpRuleConfig response(List<String> w) {
        Values.arity(w, 1, "http-response ACTION [args] [if|unless CONDITION]");
        int end = conditionStart(w);
        String kw = "http-response " + w.get(1);
        ActionConfig config = headerAction(kw, w.get(1), w.subList(2, end), RESPONSE_ACTIONS);
        return new HttpRuleConfig(config, end < w.size() ? acls.condition(w, end) : null);
    }

    private static int conditionStart(List<String> w) {
        for (int i = 2; i < w.size(); i++) {
            if (w.get(i).equals("if") || w.get(i).equals("unless")) {
                return i;
            }
        }
        return w.size();
    }

    private ActionConfig headerAction(String kw, String action, List<String> a, String expected) {
        return switch (action) {
            case "set-header" -> {
                exactly(kw, a, 2, "set-header NAME VALUE");
                yield new ActionConfig.SetHeader(a.get(0), literal(kw, a.get(1)));
            }
            case "add-header" -> {
                exactly(kw, a, 2, "add-header NAME VALUE");
                yield new ActionConfig.AddHeader(a.get(0), literal(kw, a.get(1)));
            }
            case "del-header" -> new ActionConfig.DelHeader(exactly(kw, a, 1, "del-header NAME").get(0));
            case "replace-header" -> {
                exactly(kw, a, 3, "replace-header NAME REGEX REPLACEMENT");
                yield new ActionConfig.ReplaceHeader(a.get(0), regex(kw, a.get(1)), groups(kw, a.get(1), literal(kw, a.get(2))));
            }
            default -> throw new ConfigException("unknown or unsupported action '" + kw
                    + "' (expected one of: " + expected + ")");
        };
    }

    private static List<String> exactly(String kw, List<String> a, int n, String usage) {
        if (a.size() != n) {
            throw new ConfigException("'" + kw + "': expected " + n + " argument" + (n > 1 ? "s" : "")
                    + " (" + usage + "), got " + a.size());
        }
        return a;
    }

    private static String literal(String kw, String value) {
        if (value.contains("%[")) {
            throw new ConfigException("'" + kw + "': log-format expressions such as '" + value
                    + "' are not supported (expected a literal value)");
        }
        return value;
    }

    /** A replacement may only name groups its regex has: {@code \\N} beyond them is refused here, not per request. */
    private static String groups(String kw, String regex, String replacement) {
        int groups = Pattern.compile(regex).matcher("").groupCount();
        java.util.regex.Matcher m = Pattern.compile("\\\\(\\d)").matcher(replacement);
        while (m.find()) {
            int n = Integer.parseInt(m.group(1));
            if (n > groups) {
                throw new ConfigException("'" + kw + "': the replacement '" + replacement + "' names group \\" + n
                        + " but the regex '" + regex + "' has " + groups + " group" + (groups == 1 ? "" : "s"));
            }
        }
        return replacement;
    }

    private static String regex(String kw, String text) {
        try {
            Pattern.compile(text);
            return text;
        } catch (PatternSyntaxException e) {
            throw new ConfigException("'" + kw + "': invalid regex '" + text + "' (" + e.getDescription() + ")");
        }
    }

    private static ActionConfig redirect(String kw, List<String> a) {
        if (a.size() < 2) {
            throw new ConfigException("'" + kw + "': expected 'redirect scheme|location|prefix VALUE [code N]'");
        }
        Kind kind = switch (a.get(0)) {
            case "scheme" -> Kind.SCHEME;
            case "location" -> Kind.LOCATION;
            case "prefix" -> Kind.PREFIX;
            default -> throw new ConfigException("'" + kw + "': unknown redirect type '" + a.get(0)
                    + "' (expected scheme, location or prefix)");
        };
        int code = 302;
        for (int i = 2; i < a.size(); i++) {
            if (!a.get(i).equals("code") || i + 1 >= a.size()) {
                throw new ConfigException("'" + kw + "': unsupported option '" + a.get(i)
                        + "' (expected code 301|302|303|307|308)");
            }
            code = Values.integer(kw + " code", a.get(++i), 301, 308);
            if (code > 303 && code < 307) {
                throw new ConfigException("'" + kw + " code': invalid value '" + code
                        + "' (expected 301, 302, 303, 307 or 308)");
            }
        }
        return new ActionConfig.Redirect(kind, literal(kw, a.get(1)), code);
    }

    private static ActionConfig deny(String kw, List<String> a) {
        if (a.isEmpty()) {
            return new ActionConfig.Deny(403);
        }
        if (a.size() == 2 && (a.get(0).equals("deny_status") || a.get(0).equals("status"))) {
            return new ActionConfig.Deny(Values.integer(kw + " " + a.get(0), a.get(1), 200, 599));
        }
        throw new ConfigException("'" + kw + "': expected 'deny [deny_status N]'");
    }

    private static ActionConfig returnAction(String kw, List<String> a) {
        int status = 200;
        String type = null;
        String body = null;
        for (int i = 0; i < a.size(); i += 2) {
            String k = a.get(i);
            if (i + 1 >= a.size()) {
                throw new ConfigException("'" + kw + "': '" + k + "' needs a value");
            }
            String v = a.get(i + 1);
            switch (k) {
                case "status" -> status = Values.integer(kw + " status", v, 200, 599);
                case "content-type" -> type = v;
                case "string", "lf-string" -> body = k.equals("lf-string") ? literal(kw, v) : v;
                default -> throw new ConfigException("'" + kw + "': unsupported option '" + k
                        + "' (expected status N, content-type TYPE, string TEXT or lf-string TEXT)");
            }
        }
        if (body != null && type == null) {
            throw new ConfigException("'" + kw + "': a body needs a content-type (expected content-type TYPE)");
        }
        return new ActionConfig.Return(status, type, body);
    }
}
