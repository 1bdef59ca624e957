package dev.sluice.app;

import static java.util.Objects.requireNonNull;

import dev.sluice.routing.Bind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Settings from the command line, Docker secrets and the environment (see {@link Environment}:
 * flags win, then secrets {@code dfp_<name>}, then variables), with Docker Flow Proxy's names
 * and defaults. {@code DEFAULT_PORTS} (default {@code 80,443:ssl}) and {@code BIND_PORTS} give
 * the binds of frontend {@code services}.
 *
 * @param portsFromEnvironment whether DEFAULT_PORTS or BIND_PORTS was given explicitly; with
 *                             {@code -f FILE} the file's own binds are replaced only then
 * @param adminCredentials     {@code ADMIN_USER}/{@code ADMIN_PASS}, or {@code null} when the admin API is open
 * @param stateDir             {@code STATE_DIR}: where acknowledged services are kept; default
 *                             {@code sluice-state} in the working directory
 * @param services             what applies to every dynamic service
 * @param embedded             what changes in the embedded configuration
 * @param secretsDir           {@code SECRETS_DIR}: where Docker secrets are read ({@code /run/secrets})
 * @param resolvers            {@code RESOLVERS}: nameservers for server-template names (empty: /etc/resolv.conf)
 * @param certsDir             {@code CERTS_DIR}: the certificates of ssl binds ({@code /certs})
 * @param preferredCertificate {@code PREFERRED_CERTIFICATE}: the default certificate's name or glob, or null
 * @param enableH2             {@code ENABLE_H2}: offer HTTP/2 by ALPN on ssl binds (default true)
 * @param defaultPortCount     how many of {@code servicesBinds} come from DEFAULT_PORTS (the rest: BIND_PORTS)
 * @param caFile               {@code CA_FILE}: the ssl binds of DEFAULT_PORTS ask for client certificates
 *                             signed by these CAs ({@code ca-file CA_FILE verify optional}), or null
 * @param observability        statistics' credentials and the access log
 * @param cluster              discovery (Docker engine, Swarm Listener) and peer replicas
 * @param transport            {@code TRANSPORT}: {@code epoll}, {@code io_uring} or {@code nio} as given
 *                             (checked), or null: epoll where it loads
 * @param controlIdle          {@code CONTROL_PRIORITY}: {@code idle} (opt-in) puts the control plane's
 *                             threads in Linux's {@code SCHED_IDLE} class ({@code IdleScheduling}), so that
 *                             they give way to the event loops; {@code normal} (the default) leaves them
 *                             competing
 * @param stopGraceSeconds     {@code STOP_GRACE_PERIOD}: on SIGTERM, how long requests in flight may take
 *                             to finish after the binds have closed (default 8, under Docker's 10 s
 *                             before SIGKILL; 0 stops at once)
 */
record Settings(List<Bind> servicesBinds, boolean portsFromEnvironment, String adminBind, int adminPort,
                AdminCredentials adminCredentials, Path stateDir, ServiceEnvironment services,
                EmbeddedOverrides embedded, Path secretsDir, List<java.net.InetSocketAddress> resolvers,
                Path certsDir, String preferredCertificate, boolean enableH2, int defaultPortCount,
                String caFile, Observability observability, ClusterSettings cluster, String transport,
                boolean controlIdle, int stopGraceSeconds) {

    /** Every variable Settings reads; each has the flag {@code --lower-case-name}. */
    static final List<String> VARIABLES = List.of("DEFAULT_PORTS", "BIND_PORTS", "ADMIN_PORT", "ADMIN_BIND",
            "ADMIN_USER", "ADMIN_PASS", "STATE_DIR", "SEPARATOR", "SERVICE_DOMAIN_ALGO", "DEFAULT_REQ_MODE",
            "HTTPS_ONLY", "USERS", "USERS_PASS_ENCRYPTED", "CONNECTION_MODE", "TIMEOUT_CONNECT", "TIMEOUT_CLIENT",
            "TIMEOUT_SERVER", "TIMEOUT_QUEUE", "TIMEOUT_TUNNEL", "TIMEOUT_HTTP_REQUEST", "TIMEOUT_HTTP_KEEP_ALIVE",
            "EXTRA_GLOBAL", "EXTRA_FRONTEND", "RESOLVERS", "CERTS_DIR", "PREFERRED_CERTIFICATE", "ENABLE_H2",
            "SSL_BIND_OPTIONS", "SSL_BIND_CIPHERS", "CA_FILE", "STATS_USER", "STATS_PASS", "STATS_URI", "DEBUG",
            "LOG_FORMAT", "LOG_FILE", "DISCOVERY", "DOCKER_HOST", "DISCOVERY_INTERVAL", "SERVICE_NAME",
            "LISTENER_ADDRESS", "RELOAD_INTERVAL", "TRANSPORT", "CONTROL_PRIORITY", "STOP_GRACE_PERIOD",
            Environment.SECRETS_DIR);
    static final List<String> FLAGS = VARIABLES.stream().map(Environment::flag).toList();
    static final String DEFAULT_PORTS = "80,443:ssl";
    static final Path DEFAULT_STATE_DIR = Path.of("sluice-state");

    Settings {
        servicesBinds = List.copyOf(servicesBinds);
        requireNonNull(adminBind, "adminBind");
        requireNonNull(stateDir, "stateDir");
        requireNonNull(services, "services");
        requireNonNull(embedded, "embedded");
    }

    static Settings from(Map<String, String> env, CommandLine cli) {
        return from(Environment.of(env, cli));
    }

    static Settings from(Environment env) {
        String defaults = env.get("DEFAULT_PORTS");
        String extra = env.get("BIND_PORTS");
        boolean explicit = defaults != null || extra != null;
        List<Bind> binds = new ArrayList<>(parsePorts("DEFAULT_PORTS", defaults == null ? DEFAULT_PORTS : defaults));
        int defaultPortCount = binds.size();
        if (extra != null) {
            binds.addAll(parsePorts("BIND_PORTS", extra));
        }
        int adminPort = env.integer("ADMIN_PORT", 8080, 1, 65535, "a port");
        String stateDir = env.get("STATE_DIR");
        String transport = env.get("TRANSPORT");
        dev.sluice.proxy.Transport.parse(transport);
        return new Settings(binds, explicit, env.get("ADMIN_BIND", "0.0.0.0"), adminPort,
                AdminCredentials.from(env), stateDir == null ? DEFAULT_STATE_DIR : Path.of(stateDir),
                ServiceEnvironment.from(env), EmbeddedOverrides.from(env), env.secretsDir(),
                dev.sluice.proxy.Resolvers.parse(env.get("RESOLVERS")), Path.of(env.get("CERTS_DIR", "/certs")),
                env.get("PREFERRED_CERTIFICATE"), env.bool("ENABLE_H2", true), defaultPortCount, env.get("CA_FILE"),
                Observability.from(env), ClusterSettings.from(env), transport,
                "idle".equals(env.oneOf("CONTROL_PRIORITY", "normal", List.of("normal", "idle"))),
                env.integer("STOP_GRACE_PERIOD", 8, 0, 3600, "seconds"));
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
