package dev.sluice.routing.config;

import dev.sluice.routing.ConnectionMode;
import dev.sluice.routing.Mode;
import dev.sluice.routing.config.ProxyBuilder.Kind;
import dev.sluice.routing.config.ProxyBuilder.LineRef;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The keywords of {@code defaults}, {@code frontend}, {@code backend} and {@code listen} sections. */
final class ProxyKeywords {

    private static final Set<String> COMMON = Set.of("mode", "timeout", "option", "no", "errorfile");
    private static final Set<String> FRONT = Set.of("bind", "maxconn", "use_backend", "default_backend", "monitor-uri");
    private static final Set<String> BACK = Set.of("balance", "retries", "server", "server-template", "default-server", "http-check",
            "cookie");
    private static final Set<String> PROXY = Set.of("acl", "http-request", "http-response", "tcp-request",
            "redirect");
    private static final Set<String> IGNORED = Set.of("log", "log-format", "log-tag", "description",
            "id", "capture", "compression", "unique-id-format", "unique-id-header", "stats",
            "tcp-check", "email-alert",
            "hash-type", "fullconn", "http-reuse", "rate-limit", "declare");
    /** The status codes HAProxy 2.6 lets {@code errorfile} customize. */
    private static final Set<Integer> ERRORFILE_CODES =
            Set.of(200, 400, 401, 403, 404, 405, 407, 408, 410, 413, 425, 429, 500, 501, 502, 503, 504);
    private static final Set<String> IGNORED_OPTIONS = Set.of("httplog", "dontlognull", "tcplog",
            "log-health-checks", "ssl-hello-chk", "dontlog-normal",
            "log-separate-errors", "abortonclose", "http-buffer-request", "splice-auto",
            "splice-request", "splice-response", "contstats", "socket-stats", "tcpka", "clitcpka",
            "srvtcpka", "http-ignore-probes", "http-no-delay", "prefer-last-server",
            "http-pretend-keepalive", "independent-streams", "nolinger",
            "log-asap", "checkcache", "persist", "http-use-htx", "idle-close-on-response");
    private static final Set<String> TIMEOUTS_IGNORED = Set.of("client-fin", "server-fin", "tarpit");

    private final ParseContext ctx;
    private final AclParser acls;
    private final HttpRuleParser rules;
    private final ServerParser servers;

    ProxyKeywords(ParseContext ctx) {
        this.ctx = ctx;
        this.acls = new AclParser(ctx);
        this.rules = new HttpRuleParser(ctx, acls);
        this.servers = new ServerParser(ctx);
    }

    void handle(ProxyBuilder b, int line, List<String> w) {
        String k = w.get(0);
        acls.line = line;
        if (IGNORED.contains(k)) {
            ignoredKeyword(b, line, k);
            return;
        }
        if (!allowed(b.kind, k)) {
            if (allowed(Kind.LISTEN, k) || k.equals("default_backend")) {
                misplaced(b, line, k);
                return;
            }
            throw new ConfigException("unknown keyword '" + k + "' in " + b.kind.word()
                    + " section (expected one of: " + String.join(", ", expected(b.kind)) + ")");
        }
        switch (k) {
            case "mode" -> b.mode = mode(w);
            case "timeout" -> timeout(b, line, w);
            case "option" -> option(b, line, w, true);
            case "no" -> {
                if (w.size() < 3 || !w.get(1).equals("option")) {
                    throw new ConfigException("'no': expected 'no option NAME'");
                }
                option(b, line, w.subList(1, w.size()), false);
            }
            case "errorfile" -> errorfile(b, line, w);
            case "bind" -> b.binds.addAll(BindParser.parse(ctx, line, w));
            case "maxconn" -> {
                Values.arity(w, 1, "maxconn N");
                b.maxconn = Values.integer("maxconn", w.get(1), 0, Integer.MAX_VALUE);
            }
            case "use_backend" -> useBackend(b, line, w);
            case "monitor-uri" -> {
                Values.arity(w, 1, "monitor-uri PATH");
                if (!w.get(1).startsWith("/")) {
                    throw new ConfigException("'monitor-uri': '" + w.get(1) + "' (expected a path starting with '/')");
                }
                b.monitorUri = w.get(1);
            }
            case "default_backend" -> {
                Values.arity(w, 1, "default_backend NAME");
                b.defaultBackend = new LineRef<>(line, "default_backend", backendName(w.get(1)));
            }
            case "cookie" -> b.cookie = CookieConfig.parse(w);
            case "balance" -> b.balance = balance(w).withAllBackups(b.balance.allBackups());
            case "retries" -> {
                Values.arity(w, 1, "retries N");
                b.retries = Values.integer("retries", w.get(1), 0, 100);
            }
            case "server" -> b.servers.add(new LineRef<>(line, "server", servers.server(b, line, w)));
            case "server-template" -> servers.template(b, line, w)
                    .forEach(s -> b.servers.add(new LineRef<>(line, "server-template", s)));
            case "default-server" -> {
                servers.validateDefaults(b, line, w);
                b.defaultServer.addAll(w.subList(1, w.size()));
            }
            case "acl" -> b.acls.add(new LineRef<>(line, "acl", acls.acl(w)));
            case "http-request" -> b.requestRules.add(new LineRef<>(line, "http-request", rules.request(b, w)));
            case "http-response" -> b.responseRules.add(new LineRef<>(line, "http-response", rules.response(w)));
            case "tcp-request" -> tcpRequest(b, line, w);
            case "redirect" -> b.redirectRules.add(new LineRef<>(line, "redirect", rules.redirectKeyword(w)));
            case "http-check" -> httpCheck(b, line, w);
            default -> throw new IllegalStateException(k);
        }
    }

    private static boolean allowed(Kind kind, String k) {
        if (COMMON.contains(k)) {
            return true;
        }
        if (kind == Kind.DEFAULTS) {
            return k.equals("maxconn") || k.equals("balance") || k.equals("retries")
                   || k.equals("default-server") || k.equals("default_backend") || k.equals("http-check")
                   || k.equals("cookie");
        }
        return FRONT.contains(k) && kind.front() || BACK.contains(k) && kind.back() || PROXY.contains(k);
    }

    private static Set<String> expected(Kind kind) {
        Set<String> all = new TreeSet<>();
        for (Set<String> s : List.of(COMMON, FRONT, BACK, PROXY)) {
            for (String k : s) {
                if (allowed(kind, k)) {
                    all.add(k);
                }
            }
        }
        return all;
    }

    private void misplaced(ProxyBuilder b, int line, String k) {
        if (b.kind == Kind.DEFAULTS) {
            throw new ConfigException("'" + k + "' is not supported in a defaults section"
                    + " (expected it in a frontend, backend or listen section)");
        }
        if (k.equals("server") || k.equals("server-template") || k.equals("default-server")) {
            throw new ConfigException("'" + k + "' is not allowed in a frontend section (expected it in a "
                    + "backend or listen section)");
        }
        // HAProxy ignores the keywords of the other capability with a warning
        ctx.warn(line, "'" + k + "' is ignored in " + b.describe() + " (no "
                + (b.kind == Kind.FRONTEND ? "backend" : "frontend") + " capability)");
    }

    private void ignoredKeyword(ProxyBuilder b, int line, String k) {
        String why = switch (k) {
            case "stats" -> "the stats page is served by the admin API";
            case "log", "log-format", "log-tag", "capture" -> "access logging is configured by Sluice";
            default -> "it does not change routing";
        };
        ctx.ignored(line, k, why);
    }

    /**
     * {@code tcp-request inspect-delay TIME} and {@code tcp-request content accept|reject [COND]}.
     * Frontends keep them (a mode tcp frontend applies them, see the validator for mode http);
     * a backend accepts only the ClientHello wait, which changes nothing there.
     */
    private void tcpRequest(ProxyBuilder b, int line, List<String> w) {
        if (w.size() >= 2 && w.get(1).equals("inspect-delay")) {
            if (w.size() != 3) {
                throw new ConfigException("'tcp-request inspect-delay': expected tcp-request inspect-delay TIME");
            }
            long ms = Values.time("tcp-request inspect-delay", w.get(2));
            if (b.kind == Kind.BACKEND) {
                ctx.ignored(line, "tcp-request inspect-delay", "backends do not inspect content");
                return;
            }
            b.inspectDelay = ms;
            b.inspectDelayLine = line;
            return;
        }
        String rest = String.join(" ", w.subList(1, w.size()));
        if (w.size() < 3 || !w.get(1).equals("content") || !(w.get(2).equals("accept") || w.get(2).equals("reject"))) {
            throw new ConfigException("unsupported tcp-request rule '" + rest + "' (expected 'tcp-request "
                    + "inspect-delay TIME' or 'tcp-request content accept|reject [if|unless CONDITION]')");
        }
        if (b.kind == Kind.BACKEND) {
            if (rest.matches("content accept if \\{ (req_ssl_hello_type|req\\.ssl_hello_type) 1 \\}")) {
                ctx.ignored(line, "tcp-request content accept", "backends do not inspect content");
                return;
            }
            throw new ConfigException("'tcp-request content' rules are supported in frontend and listen "
                    + "sections only (expected it in the frontend that receives the connection)");
        }
        if (b.kind == Kind.DEFAULTS) {
            throw new ConfigException("'tcp-request content' is not supported in a defaults section "
                    + "(expected it in a frontend or listen section)");
        }
        ConditionConfig cond = w.size() > 3 ? acls.condition(w, 3) : null;
        b.contentRules.add(new LineRef<>(line, "tcp-request content",
                new TcpRequestConfig.ContentRule(w.get(2).equals("accept"), cond)));
    }

    private static Mode mode(List<String> w) {
        Values.arity(w, 1, "mode http|tcp");
        return switch (w.get(1)) {
            case "http" -> Mode.HTTP;
            case "tcp" -> Mode.TCP;
            default -> throw new ConfigException("'mode': invalid mode '" + w.get(1) + "' (expected http or tcp)");
        };
    }

    private void timeout(ProxyBuilder b, int line, List<String> w) {
        Values.arity(w, 2, "timeout NAME TIME");
        String name = w.get(1);
        String kw = "timeout " + name;
        if (TIMEOUTS_IGNORED.contains(name)) {
            Values.time(kw, w.get(2));
            ctx.ignored(line, kw, "not implemented; the other timeouts apply");
            return;
        }
        long ms = Values.time(kw, w.get(2));
        switch (name) {
            case "connect" -> b.connect = ms;
            case "client" -> b.client = ms;
            case "server" -> b.server = ms;
            case "http-request" -> b.httpRequest = ms;
            case "http-keep-alive" -> b.httpKeepAlive = ms;
            case "queue" -> b.queue = ms;
            case "tunnel" -> b.tunnel = ms;
            case "check" -> b.check = ms;
            default -> throw new ConfigException("unknown timeout '" + name + "' (expected one of: check, client, "
                    + "connect, http-keep-alive, http-request, queue, server, tunnel)");
        }
    }

    private void option(ProxyBuilder b, int line, List<String> w, boolean on) {
        Values.arity(w, 1, "option NAME");
        String name = w.get(1);
        if (name.equals("allbackups")) {
            b.balance = b.balance.withAllBackups(on);
            return;
        }
        if (IGNORED_OPTIONS.contains(name)) {
            ctx.ignored(line, "option " + name, name.contains("chk") || name.contains("check")
                    ? "health checks are configured on server lines" : "it does not change routing");
            return;
        }
        switch (name) {
            case "forwardfor" -> {
                if (!on) {
                    throw new ConfigException("'no option forwardfor' is not supported (HAProxy has no negation "
                            + "for forwardfor; expected it only where it applies)");
                }
                b.forwardFor = forwardFor(w);
            }
            case "http-keep-alive" -> b.connectionMode = ConnectionMode.KEEP_ALIVE;
            case "http-server-close" -> b.connectionMode = on ? ConnectionMode.SERVER_CLOSE : ConnectionMode.KEEP_ALIVE;
            case "httpclose", "forceclose" -> {
                b.connectionMode = on ? ConnectionMode.CLOSE : ConnectionMode.KEEP_ALIVE;
                if (name.equals("forceclose")) {
                    ctx.warn(line, "'option forceclose' is read as 'option httpclose' (HAProxy 2.0 and later "
                            + "reject it; expected option httpclose)");
                }
            }
            case "httpchk" -> {
                b.httpCheck = on ? httpchk(w) : null;
                if (b.kind == Kind.FRONTEND) {
                    ctx.warn(line, "'option httpchk' is ignored in " + b.describe() + " (no backend capability)");
                }
            }
            case "tcp-check" -> {
                // TCP connect checks (without tcp-check rules, that is all HAProxy does); the last
                // of httpchk and tcp-check wins, as in HAProxy
                if (on) {
                    b.httpCheck = null;
                }
                if (b.kind == Kind.FRONTEND) {
                    ctx.warn(line, "'option tcp-check' is ignored in " + b.describe() + " (no backend capability)");
                }
            }
            case "redispatch" -> {
                b.redispatch = on;
                if (b.kind == Kind.FRONTEND) {
                    ctx.warn(line, "'option redispatch' is ignored in " + b.describe() + " (no backend capability)");
                }
            }
            default -> throw new ConfigException("unknown option '" + name + "' (expected one of: forwardfor, "
                    + "http-keep-alive, http-server-close, httpchk, httpclose, redispatch, tcp-check, "
                    + "or an ignored logging option)");
        }
        if (!name.equals("forwardfor") && !name.equals("httpchk") && w.size() > 2) {
            throw new ConfigException("'option " + name + "' takes no argument");
        }
    }

    /** {@code option httpchk}, {@code option httpchk URI}, {@code option httpchk METHOD URI [VERSION]}. */
    private static HttpCheckConfig httpchk(List<String> w) {
        HttpCheckConfig d = HttpCheckConfig.DEFAULT;
        List<String> a = w.subList(2, w.size());
        return switch (a.size()) {
            case 0 -> d;
            case 1 -> new HttpCheckConfig(d.method(), a.get(0), d.version());
            case 2 -> new HttpCheckConfig(a.get(0), a.get(1), d.version());
            case 3 -> new HttpCheckConfig(a.get(0), a.get(1), a.get(2));
            default -> throw new ConfigException("'option httpchk': too many arguments (expected "
                    + "option httpchk [METHOD] [URI] [VERSION])");
        };
    }

    /** {@code http-check expect [!] status|rstatus|string|rstring PATTERN} is kept for the health module. */
    private void httpCheck(ProxyBuilder b, int line, List<String> w) {
        if (w.size() > 1 && w.get(1).equals("expect")) {
            b.httpCheckExpect = HttpCheckExpect.parse(w.subList(2, w.size()));
            return;
        }
        ctx.ignored(line, "http-check " + (w.size() > 1 ? w.get(1) : ""),
                "only 'http-check expect' is supported; checks send the 'option httpchk' request");
    }

    private static ForwardForConfig forwardFor(List<String> w) {
        String header = ForwardForConfig.DEFAULT_HEADER;
        String except = null;
        for (int i = 2; i < w.size(); i++) {
            String k = w.get(i);
            if (i + 1 >= w.size()) {
                throw new ConfigException("'option forwardfor': '" + k + "' needs a value");
            }
            String v = w.get(++i);
            switch (k) {
                case "header" -> header = v;
                case "except" -> except = network("option forwardfor", v);
                case "if-none" -> throw new ConfigException("'option forwardfor': 'if-none' is not supported");
                default -> throw new ConfigException("'option forwardfor': unknown argument '" + k
                        + "' (expected except NETWORK or header NAME)");
            }
        }
        return new ForwardForConfig(header, except);
    }

    static String network(String keyword, String text) {
        try {
            dev.sluice.routing.acl.IpNet.parse(text);
            return text;
        } catch (IllegalArgumentException e) {
            throw new ConfigException("'" + keyword + "': " + e.getMessage());
        }
    }

    private void errorfile(ProxyBuilder b, int line, List<String> w) {
        Values.arity(w, 2, "errorfile CODE FILE");
        int code = Values.integer("errorfile", w.get(1), 200, 599);
        byte[] content = ctx.read("errorfile", w.get(2));
        if (!ERRORFILE_CODES.contains(code)) {
            ctx.warn(line, "'errorfile': status " + code + " cannot be customized; the file is ignored "
                    + "(expected one of: " + new TreeSet<>(ERRORFILE_CODES) + ")");
            return;
        }
        b.errorFiles.put(code, new ErrorFileConfig(code, ctx.resolve(w.get(2)).toString(), content));
    }

    private void useBackend(ProxyBuilder b, int line, List<String> w) {
        Values.arity(w, 1, "use_backend NAME [if|unless CONDITION]");
        String name = backendName(w.get(1));
        ConditionConfig cond = null;
        if (w.size() > 2) {
            cond = acls.condition(w, 2);
        }
        b.useBackends.add(new LineRef<>(line, "use_backend", new UseBackendConfig(name, cond)));
    }

    private static String backendName(String name) {
        if (name.contains("%[")) {
            throw new ConfigException("dynamic backend name '" + name + "' is not supported (expected a backend name)");
        }
        return name;
    }

    private static BalanceConfig balance(List<String> w) {
        Values.arity(w, 1, "balance ALGORITHM");
        String a = w.get(1);
        if (a.startsWith("hdr(") && a.endsWith(")") && a.length() > 5) {
            return new BalanceConfig("hdr", a.substring(4, a.length() - 1));
        }
        return switch (a) {
            case "roundrobin", "static-rr", "leastconn", "source", "first", "uri", "random" -> {
                if (w.size() > 2) {
                    throw new ConfigException("'balance " + a + "': options are not supported ('" + w.get(2) + "')");
                }
                yield new BalanceConfig(a, null);
            }
            default -> throw new ConfigException("'balance': unknown algorithm '" + a + "' (expected one of: "
                    + "roundrobin, static-rr, leastconn, source, first, uri, hdr(NAME), random)");
        };
    }
}
