package dev.sluice.proxy;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** Docker Flow Proxy's {@code RESOLVERS}: the DNS servers that resolve server names in the background. */
public final class Resolvers {

    private Resolvers() {
    }

    /**
     * Docker Flow Proxy's {@code RESOLVERS}: entries such as {@code nameserver dns 127.0.0.11:53},
     * separated by commas or new lines; a bare {@code IP:PORT} or {@code IP} (port 53) is accepted too.
     *
     * @throws IllegalArgumentException naming the entry that is not understood
     */
    public static List<InetSocketAddress> parse(String text) {
        List<InetSocketAddress> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String entry : text.split("[,\\n]")) {
            String[] words = entry.trim().split("\\s+");
            if (words.length == 1 && words[0].isEmpty()) {
                continue;
            }
            String addr;
            if (words.length == 3 && words[0].equals("nameserver")) {
                addr = words[2];
            } else if (words.length == 1) {
                addr = words[0];
            } else {
                throw new IllegalArgumentException("RESOLVERS: '" + entry.trim()
                        + "' (expected nameserver NAME IP:PORT, e.g. nameserver dns 127.0.0.11:53)");
            }
            out.add(address(entry.trim(), addr));
        }
        return List.copyOf(out);
    }

    private static InetSocketAddress address(String entry, String addr) {
        String host = addr;
        int port = 53;
        int colon = addr.lastIndexOf(':');
        if (addr.startsWith("[")) {
            int close = addr.indexOf(']');
            host = close < 0 ? "" : addr.substring(1, close);
            if (close >= 0 && close + 1 < addr.length()) {
                port = port(entry, addr.substring(close + 2));
            }
        } else if (colon >= 0 && addr.indexOf(':') == colon) {
            host = addr.substring(0, colon);
            port = port(entry, addr.substring(colon + 1));
        }
        if (!DnsDiscovery.isAddress(host)) {
            throw new IllegalArgumentException("RESOLVERS: '" + entry + "' (expected an IP address, e.g. 127.0.0.11:53)");
        }
        return new InetSocketAddress(host, port);
    }

    private static int port(String entry, String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("RESOLVERS: '" + entry + "' port '" + text + "' (expected 1-65535)");
    }
}
