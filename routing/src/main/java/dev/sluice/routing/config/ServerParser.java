package dev.sluice.routing.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code server NAME ADDR:PORT [options]} and {@code default-server [options]}. */
final class ServerParser {

    private static final Set<String> IGNORED_WITH_VALUE = Set.of("resolve-prefer",
            "init-addr", "maxqueue", "minconn", "on-marked-down", "on-marked-up", "id", "agent-port",
            "agent-inter", "agent-send",
            "pool-max-conn", "pool-purge-delay", "max-reuse", "track", "resolve-opts",
            "resolve-net", "log-proto", "namespace");
    private static final Set<String> IGNORED_FLAGS = Set.of("agent-check", "check-send-proxy",
            "no-check", "non-stick", "enabled", "no-agent-check");

    private final ParseContext ctx;
    /** Set while default-server options are re-applied, so their warnings are not repeated. */
    private boolean quiet;

    ServerParser(ParseContext ctx) {
        this.ctx = ctx;
    }

    void validateDefaults(ProxyBuilder b, int line, List<String> w) {
        options(new Options(), line, w.subList(1, w.size()), "default-server");
    }

    ServerConfig server(ProxyBuilder b, int line, List<String> w) {
        Values.arity(w, 2, "server NAME ADDRESS:PORT [options]");
        String name = w.get(1);
        String addr = w.get(2);
        int colon = addr.lastIndexOf(':');
        String host;
        if (addr.startsWith("[")) {
            int close = addr.indexOf(']');
            colon = close < 0 ? -1 : close + 1 < addr.length() && addr.charAt(close + 1) == ':' ? close + 1 : -1;
            host = close < 0 ? addr : addr.substring(1, close);
        } else {
            host = colon < 0 ? addr : addr.substring(0, colon);
        }
        if (colon < 0 || host.isEmpty()) {
            throw new ConfigException("'server " + name + "': invalid address '" + addr
                    + "' (expected HOST:PORT with a port 1-65535)");
        }
        int port = Values.port("server " + name, addr.substring(colon + 1));
        Options o = new Options();
        quiet = true;
        try {
            options(o, line, b.defaultServer, "default-server");
        } finally {
            quiet = false;
        }
        options(o, line, w.subList(3, w.size()), "server " + name);
        HealthCheckConfig check = new HealthCheckConfig(o.check, o.inter, o.fastInter, o.downInter,
                o.rise, o.fall, o.port, o.addr, o.slowstart, o.observe, o.errorLimit, o.onError);
        return new ServerConfig(name, host, port, o.weight, o.backup, o.disabled, o.maxconn, o.cookie, check,
                null, o.resolvers, o.tls.build(), o.h2);
    }

    /**
     * {@code server-template PREFIX COUNT FQDN:PORT [options]}: COUNT slots named PREFIX1..PREFIXCOUNT
     * (HAProxy's naming), each with the options of a {@code server} line, filled from FQDN's DNS answers.
     */
    List<ServerConfig> template(ProxyBuilder b, int line, List<String> w) {
        Values.arity(w, 3, "server-template PREFIX COUNT FQDN:PORT [options]");
        String prefix = w.get(1);
        int count = Values.integer("server-template " + prefix + " count", w.get(2), 1, MAX_SLOTS);
        String addr = w.get(3);
        int colon = addr.lastIndexOf(':');
        if (colon <= 0 || addr.startsWith("[") || addr.indexOf(':') != colon) {
            throw new ConfigException("'server-template " + prefix + "': invalid address '" + addr
                    + "' (expected FQDN:PORT with a port 1-65535)");
        }
        List<String> asServer = new ArrayList<>(List.of("server", prefix + "1", addr));
        asServer.addAll(w.subList(4, w.size()));
        ServerConfig first = server(b, line, asServer);
        String fqdn = first.host();
        List<ServerConfig> slots = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            slots.add(first.asSlot(prefix + i, fqdn));
        }
        return slots;
    }

    /** The most slots one {@code server-template} line may declare. */
    static final int MAX_SLOTS = 4096;

    private static final class Options {
        boolean check;
        long inter = 2000;
        long fastInter;
        long downInter;
        int rise = 2;
        int fall = 3;
        int port;
        String addr;
        long slowstart;
        HealthCheckConfig.Observe observe = HealthCheckConfig.Observe.NONE;
        int errorLimit = 10;
        HealthCheckConfig.OnError onError = HealthCheckConfig.OnError.FAIL_CHECK;
        int weight = 1;
        boolean backup;
        boolean disabled;
        int maxconn;
        String cookie;
        String resolvers;
        final ServerTlsOptions tls = new ServerTlsOptions();
        boolean h2;
    }

    private void options(Options o, int line, List<String> w, String keyword) {
        for (int i = 0; i < w.size(); i++) {
            String k = w.get(i);
            switch (k) {
                case "check" -> o.check = true;
                case "backup" -> o.backup = true;
                case "disabled" -> o.disabled = true;
                case "inter", "fastinter", "downinter", "slowstart" -> {
                    long t = Values.time(keyword + " " + k, value(w, i++, keyword));
                    switch (k) {
                        case "inter" -> o.inter = t;
                        case "fastinter" -> o.fastInter = t;
                        case "downinter" -> o.downInter = t;
                        default -> o.slowstart = t;
                    }
                }
                case "rise" -> o.rise = Values.integer(keyword + " rise", value(w, i++, keyword), 1, 1000);
                case "fall" -> o.fall = Values.integer(keyword + " fall", value(w, i++, keyword), 1, 1000);
                case "weight" -> o.weight = Values.integer(keyword + " weight", value(w, i++, keyword), 0, 256);
                case "maxconn" -> o.maxconn = Values.integer(keyword + " maxconn", value(w, i++, keyword),
                        0, Integer.MAX_VALUE);
                case "port" -> o.port = Values.port(keyword + " port", value(w, i++, keyword));
                case "addr" -> o.addr = value(w, i++, keyword);
                case "cookie" -> o.cookie = value(w, i++, keyword);
                case "resolvers" -> o.resolvers = value(w, i++, keyword);
                case "proto" -> o.h2 = proto(keyword, value(w, i++, keyword));
                case "observe" -> o.observe = observe(keyword, value(w, i++, keyword));
                case "error-limit" -> o.errorLimit = Values.integer(keyword + " error-limit",
                        value(w, i++, keyword), 1, 1_000_000);
                case "on-error" -> o.onError = onError(keyword, value(w, i++, keyword));
                default -> {
                    if (ServerTlsOptions.FLAGS.contains(k)) {
                        o.tls.flag(k);
                    } else if (ServerTlsOptions.WITH_VALUE.contains(k)) {
                        o.tls.option(ctx, keyword, k, value(w, i++, keyword));
                    } else if (IGNORED_WITH_VALUE.contains(k)) {
                        value(w, i++, keyword);
                        if (!quiet) ctx.ignored(line, keyword + " " + k, "servers are resolved and checked by Sluice");
                    } else if (IGNORED_FLAGS.contains(k)) {
                        if (!quiet) ctx.ignored(line, keyword + " " + k, "it does not change routing");
                    } else {
                        throw new ConfigException("'" + keyword + "': unknown or unsupported option '" + k
                                + "' (expected one of: addr, backup, ca-file, check, check-sni, check-ssl, cookie, "
                                + "crt, disabled, downinter, error-limit, fall, fastinter, inter, maxconn, no-check-ssl, "
                                + "no-ssl, no-verifyhost, observe, on-error, port, proto, resolvers, rise, slowstart, "
                                + "sni, ssl, verify, verifyhost, weight)");
                    }
                }
            }
        }
    }

    private static HealthCheckConfig.Observe observe(String keyword, String v) {
        return switch (v) {
            case "none" -> HealthCheckConfig.Observe.NONE;
            case "layer4" -> HealthCheckConfig.Observe.LAYER4;
            case "layer7" -> HealthCheckConfig.Observe.LAYER7;
            default -> throw new ConfigException("'" + keyword + " observe': '" + v
                    + "' (expected none, layer4 or layer7)");
        };
    }

    /** HAProxy's {@code proto}: the multiplexer towards the server; h1 is the default anyway. */
    private static boolean proto(String keyword, String v) {
        return switch (v) {
            case "h2" -> true;
            case "h1" -> false;
            default -> throw new ConfigException("'" + keyword + " proto': '" + v
                    + "' (expected h2, or h1: the default)");
        };
    }

    private static HealthCheckConfig.OnError onError(String keyword, String v) {
        for (HealthCheckConfig.OnError e : HealthCheckConfig.OnError.values()) {
            if (e.word().equals(v)) {
                return e;
            }
        }
        throw new ConfigException("'" + keyword + " on-error': '" + v
                + "' (expected fastinter, fail-check, sudden-death or mark-down)");
    }

    private static String value(List<String> w, int i, String keyword) {
        if (i + 1 >= w.size()) {
            throw new ConfigException("'" + keyword + "': option '" + w.get(i) + "' needs a value");
        }
        return w.get(i + 1);
    }

    static List<String> renderOptions(ServerConfig s) {
        List<String> out = new ArrayList<>();
        HealthCheckConfig c = s.check();
        HealthCheckConfig d = HealthCheckConfig.DEFAULT;
        if (c.enabled()) {
            out.add("check");
        }
        addTime(out, "inter", c.interMs(), d.interMs());
        addTime(out, "fastinter", c.fastInterMs(), 0);
        addTime(out, "downinter", c.downInterMs(), 0);
        addInt(out, "rise", c.rise(), d.rise());
        addInt(out, "fall", c.fall(), d.fall());
        addInt(out, "port", c.port(), 0);
        if (c.addr() != null) {
            out.add("addr");
            out.add(c.addr());
        }
        addTime(out, "slowstart", c.slowstartMs(), 0);
        if (c.observe() != d.observe()) {
            out.add("observe");
            out.add(c.observe().name().toLowerCase(java.util.Locale.ROOT));
        }
        addInt(out, "error-limit", c.errorLimit(), d.errorLimit());
        if (c.onError() != d.onError()) {
            out.add("on-error");
            out.add(c.onError().word());
        }
        addInt(out, "weight", s.weight(), 1);
        if (s.backup()) {
            out.add("backup");
        }
        if (s.disabled()) {
            out.add("disabled");
        }
        addInt(out, "maxconn", s.maxconn(), 0);
        if (s.cookie() != null) {
            out.add("cookie");
            out.add(s.cookie());
        }
        if (s.resolvers() != null) {
            out.add("resolvers");
            out.add(s.resolvers());
        }
        out.addAll(ServerTlsOptions.render(s.tls()));
        if (s.h2()) {
            out.add("proto");
            out.add("h2");
        }
        return out;
    }

    private static void addTime(List<String> out, String k, long v, long def) {
        if (v != def) {
            out.add(k);
            out.add(Values.formatTime(v));
        }
    }

    private static void addInt(List<String> out, String k, int v, int def) {
        if (v != def) {
            out.add(k);
            out.add(Integer.toString(v));
        }
    }
}
