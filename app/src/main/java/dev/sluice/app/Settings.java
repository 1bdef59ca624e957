package dev.sluice.app;

import dev.sluice.routing.Bind;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Settings from the environment and the command line (flags win). Docker Flow Proxy's names:
 * {@code DEFAULT_PORTS} (default {@code 80,443:ssl}) and {@code BIND_PORTS} give the binds of
 * frontend {@code services}.
 *
 * @param portsFromEnvironment whether DEFAULT_PORTS or BIND_PORTS was given explicitly; with
 *                             {@code -f FILE} the file's own binds are replaced only then
 */
record Settings(List<Bind> servicesBinds, boolean portsFromEnvironment, String adminBind, int adminPort) {

    static final List<String> FLAGS = List.of("default-ports", "bind-ports", "admin-port", "admin-bind");
    static final String DEFAULT_PORTS = "80,443:ssl";

    static Settings from(Map<String, String> env, CommandLine cli) {
        String defaults = pick(env, cli, "default-ports");
        String extra = pick(env, cli, "bind-ports");
        boolean explicit = defaults != null || extra != null;
        List<Bind> binds = new ArrayList<>(parsePorts("DEFAULT_PORTS", defaults == null ? DEFAULT_PORTS : defaults));
        if (extra != null) {
            binds.addAll(parsePorts("BIND_PORTS", extra));
        }
        String adminPortText = pick(env, cli, "admin-port");
        int adminPort = adminPortText == null ? 8080 : parsePort("ADMIN_PORT", adminPortText);
        String adminBind = pick(env, cli, "admin-bind");
        return new Settings(List.copyOf(binds), explicit, adminBind == null ? "0.0.0.0" : adminBind, adminPort);
    }

    private static int parsePort(String name, String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + ": '" + text + "' (expected a port 1-65535)");
    }

    private static String pick(Map<String, String> env, CommandLine cli, String flag) {
        String v = cli.flags().get(flag);
        if (v == null) {
            v = env.get(flag.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** {@code 80,443:ssl,8080} as binds on all addresses. */
    static List<Bind> parsePorts(String name, String value) {
        List<Bind> binds = new ArrayList<>();
        for (String part : value.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            boolean ssl = false;
            int colon = p.indexOf(':');
            if (colon >= 0) {
                String option = p.substring(colon + 1).trim();
                if (!option.equalsIgnoreCase("ssl")) {
                    throw new IllegalArgumentException(name + ": '" + p + "' (expected PORT or PORT:ssl, e.g. 80,443:ssl)");
                }
                ssl = true;
                p = p.substring(0, colon).trim();
            }
            int port;
            try {
                port = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + ": '" + part.trim() + "' is not a port (expected 1-65535)");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(name + ": " + port + " (expected: 1-65535)");
            }
            binds.add(new Bind(null, port, ssl));
        }
        return binds;
    }
}
