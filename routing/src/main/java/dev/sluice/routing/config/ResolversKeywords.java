package dev.sluice.routing.config;

import dev.sluice.routing.config.ProxyBuilder.LineRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code resolvers NAME} sections: {@code nameserver NAME IP:PORT} and {@code hold valid TIME} are
 * kept; the tuning keywords of HAProxy's resolver are accepted with a warning (Sluice's resolver
 * has its own retries, timeouts and payload size, and they do not change which address is used).
 */
final class ResolversKeywords {

    private static final Set<String> IGNORED = Set.of("accepted_payload_size", "resolve_retries", "timeout",
            "parse-resolv-conf", "hold");

    private final ParseContext ctx;
    private final Map<String, Section> sections = new LinkedHashMap<>();
    private Section current;

    private static final class Section {
        final String name;
        final int line;
        final List<ResolversConfig.Nameserver> nameservers = new ArrayList<>();
        long holdValidMs;

        Section(String name, int line) {
            this.name = name;
            this.line = line;
        }
    }

    ResolversKeywords(ParseContext ctx) {
        this.ctx = ctx;
    }

    void open(int line, List<String> w) {
        current = new Section(w.size() > 1 ? w.get(1) : "", line);
        if (w.size() != 2) {
            throw new ConfigException("'resolvers': expected resolvers NAME");
        }
        Section previous = sections.putIfAbsent(current.name, current);
        if (previous != null) {
            throw new ConfigException("resolvers '" + current.name + "' is already defined at line " + previous.line
                    + " (names must be unique)");
        }
    }

    void line(int line, List<String> w) {
        String k = w.get(0);
        switch (k) {
            case "nameserver" -> nameserver(w);
            case "hold" -> {
                Values.arity(w, 2, "hold STATUS TIME");
                long t = Values.time("hold " + w.get(1), w.get(2));
                if (w.get(1).equals("valid")) {
                    current.holdValidMs = t;
                } else {
                    ctx.ignored(line, "hold " + w.get(1), "an address is kept only while DNS answers it");
                }
            }
            default -> {
                if (!IGNORED.contains(k)) {
                    throw new ConfigException("unknown keyword '" + k + "' in resolvers section (expected one of: "
                            + "nameserver, hold, accepted_payload_size, parse-resolv-conf, resolve_retries, timeout)");
                }
                ctx.ignored(line, k, k.equals("parse-resolv-conf")
                        ? "without a nameserver, /etc/resolv.conf is used"
                        : "Sluice's resolver has its own retries, timeouts and payload size");
            }
        }
    }

    private void nameserver(List<String> w) {
        Values.arity(w, 2, "nameserver NAME IP:PORT");
        String addr = w.get(2);
        int colon = addr.lastIndexOf(':');
        String host;
        if (addr.startsWith("[")) {
            int close = addr.indexOf(']');
            host = close < 0 ? "" : addr.substring(1, close);
            colon = close >= 0 && close + 1 < addr.length() && addr.charAt(close + 1) == ':' ? close + 1 : -1;
        } else {
            host = colon < 0 ? "" : addr.substring(0, colon);
        }
        if (colon < 0 || host.isEmpty()) {
            throw new ConfigException("'nameserver " + w.get(1) + "': invalid address '" + addr
                    + "' (expected IP:PORT, e.g. 127.0.0.11:53)");
        }
        int port = Values.port("nameserver " + w.get(1), addr.substring(colon + 1));
        current.nameservers.add(new ResolversConfig.Nameserver(w.get(1), host, port));
    }

    /** A server's {@code resolvers NAME} must name a section of the file. */
    void validateReferences(List<ProxyBuilder> proxies) {
        java.util.Set<Integer> reported = new java.util.HashSet<>();
        for (ProxyBuilder p : proxies) {
            for (LineRef<ServerConfig> s : p.servers) {
                String name = s.value().resolvers();
                if (name != null && !sections.containsKey(name) && reported.add(s.line())) {
                    ctx.error(s.line(), "'" + s.keyword() + " " + s.value().name() + "': no resolvers section named '"
                            + name + "' (expected the name of a resolvers section)");
                }
            }
        }
    }

    List<ResolversConfig> build() {
        return sections.values().stream()
                .map(s -> new ResolversConfig(s.name, s.nameservers, s.holdValidMs))
                .toList();
    }
}
