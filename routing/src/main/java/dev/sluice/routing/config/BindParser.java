package dev.sluice.routing.config;

import dev.sluice.routing.BindTls;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code bind ADDR:PORT[,ADDR:PORT...] [ssl] [options]}. */
final class BindParser {

    /** Bind options that take a value: kept with their value. */
    private static final Set<String> WITH_VALUE = Set.of("name", "process", "maxconn", "backlog", "interface",
            "mss", "id", "nice", "thread", "tcp-ut", "level", "mode", "uid", "gid", "user", "group",
            "severity-output", "proto");

    private BindParser() {
    }

    static List<BindConfig> parse(ParseContext ctx, int line, List<String> w) {
        Values.arity(w, 1, "bind [ADDRESS]:PORT [ssl] [options]");
        boolean ssl = false;
        List<String> options = new ArrayList<>();
        List<String> tlsOptions = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (int i = 2; i < w.size(); i++) {
            String o = w.get(i);
            if (o.equals("ssl")) {
                ssl = true;
                continue;
            }
            options.add(o);
            boolean tls = BindTlsParser.isTlsOption(o);
            if (tls) {
                tlsOptions.add(o);
            } else {
                ignored.add(o);
            }
            if (WITH_VALUE.contains(o) || BindTlsParser.WITH_VALUE.contains(o)) {
                if (i + 1 >= w.size()) {
                    throw new ConfigException("'bind': option '" + o + "' needs a value");
                }
                options.add(w.get(++i));
                if (tls) {
                    tlsOptions.add(w.get(i));
                }
            }
        }
        BindTls tls = null;
        if (ssl) {
            tls = BindTlsParser.parse(ctx, line, tlsOptions);
        } else if (!tlsOptions.isEmpty()) {
            ctx.warn(line, "'bind' TLS options " + tlsOptions + " have no effect without 'ssl'");
        }
        if (!ignored.isEmpty()) {
            ctx.warn(line, "'bind' options " + ignored + " are kept but not applied by Sluice");
        }
        List<BindConfig> out = new ArrayList<>();
        for (String addr : w.get(1).split(",")) {
            out.add(address(addr, ssl, options, tls));
        }
        return out;
    }

    private static BindConfig address(String text, boolean ssl, List<String> options, BindTls tls) {
        String a = text;
        if (a.startsWith("ipv4@") || a.startsWith("ipv6@")) {
            a = a.substring(5);
        }
        if (a.startsWith("unix@") || a.startsWith("/") || a.startsWith("abns@") || a.startsWith("fd@")) {
            throw new ConfigException("'bind': unsupported address '" + text + "' (expected [ADDRESS]:PORT)");
        }
        String host;
        String port;
        if (a.startsWith("[")) {
            int close = a.indexOf(']');
            if (close < 0 || close + 1 >= a.length() || a.charAt(close + 1) != ':') {
                throw new ConfigException("'bind': invalid address '" + text + "' (expected [IPV6]:PORT)");
            }
            host = a.substring(1, close);
            port = a.substring(close + 2);
        } else {
            int colon = a.lastIndexOf(':');
            if (colon < 0) {
                throw new ConfigException("'bind': missing port in '" + text + "' (expected [ADDRESS]:PORT)");
            }
            host = a.substring(0, colon);
            port = a.substring(colon + 1);
        }
        if (port.contains("-")) {
            throw new ConfigException("'bind': port ranges are not supported ('" + text + "')");
        }
        int p = Values.port("bind", port);
        return new BindConfig(host.isEmpty() || host.equals("*") ? null : host, p, ssl, options, tls);
    }
}
