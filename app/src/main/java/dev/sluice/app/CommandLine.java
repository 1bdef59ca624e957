package dev.sluice.app;

import java.util.HashMap;
import java.util.Map;

/** The parsed command line: a command, {@code -f FILE}, and {@code --name value} flags. */
record CommandLine(String command, String file, Map<String, String> flags) {

    static final String USAGE = """
            usage: java -jar sluice.jar COMMAND [OPTIONS]
              run     [-f FILE]   start the proxy (no -f: the embedded default configuration)
              check   -f FILE     validate FILE; prints every error as FILE:LINE: message, exit 1 if any
              render  [-f FILE]   print the effective configuration in HAProxy syntax
              version             print the version
            options (each also read from the environment variable in brackets; flags win):
              --default-ports P   binds of frontend 'services', e.g. 80,443:ssl  [DEFAULT_PORTS]
              --bind-ports P      extra binds of frontend 'services', e.g. 8081,8082  [BIND_PORTS]
              --admin-port N      port of the admin API, default 8080  [ADMIN_PORT]
              --admin-bind ADDR   address of the admin API, default 0.0.0.0  [ADMIN_BIND]
              --admin-user U, --admin-pass P   basic auth of the admin API (both or neither)  [ADMIN_USER, ADMIN_PASS]
              --state-dir DIR     where acknowledged services are kept, default ./sluice-state  [STATE_DIR]
              --secrets-dir DIR   where Docker secrets dfp_<name> are read, default /run/secrets  [SECRETS_DIR]
              --separator S, --service-domain-algo A, --default-req-mode M, --https-only B,
              --users U, --users-pass-encrypted B   defaults of dynamic services, as in Docker Flow Proxy
              --connection-mode M, --timeout-connect S, --timeout-client S, --timeout-server S,
              --timeout-queue S, --timeout-tunnel S, --timeout-http-request S, --timeout-http-keep-alive S,
              --extra-global L, --extra-frontend L   change the embedded configuration (not a -f FILE)
              --ssl-bind-options O, --ssl-bind-ciphers C   global ssl-default-bind-options / -ciphers of the
                                  embedded configuration, e.g. "ssl-min-ver TLSv1.3"  [SSL_BIND_OPTIONS, SSL_BIND_CIPHERS]
              --ca-file FILE      ssl binds of DEFAULT_PORTS ask for client certificates signed by these CAs
                                  (ca-file FILE verify optional)  [CA_FILE]
              --stats-user U, --stats-pass P   credentials of /stats, /stats;csv and /metrics (none/none:
                                  open)  [STATS_USER, STATS_PASS]
              --stats-uri PATH    where http frontends serve the statistics when STATS_USER/PASS are set
                                  (default /admin?stats)  [STATS_URI]
              --debug B           one access-log line per request (default false)  [DEBUG]
              --log-format F      httplog (HAProxy's) or json  [LOG_FORMAT]
              --log-file FILE     append the access log to FILE instead of standard output  [LOG_FILE]
              --discovery M       auto (default), docker or none: follow the Docker engine's com.df.* labels  [DISCOVERY]
              --docker-host H     unix:///var/run/docker.sock (default) or tcp://HOST:PORT  [DOCKER_HOST]
              --discovery-interval S   seconds between full reconciles with the engine, default 30  [DISCOVERY_INTERVAL]
              --service-name N    this proxy's Swarm service: replicas are tasks.N, default proxy  [SERVICE_NAME]
              --listener-address A   Docker Flow Swarm Listener host[:port], comma-separated  [LISTENER_ADDRESS]
              --reload-interval MS   how often the listener is asked, default 5000  [RELOAD_INTERVAL]
              --certs-dir DIR, --preferred-certificate GLOB, --enable-h2 B   certificates of ssl binds
              --resolvers R       DNS servers for server names, e.g. "nameserver dns 127.0.0.11:53"
                                  (default /etc/resolv.conf)  [RESOLVERS]
              --transport T       epoll (default), io_uring or nio: how the proxy's sockets are driven  [TRANSPORT]
              --control-priority P   normal (default) or idle: the control plane's threads in SCHED_IDLE  [CONTROL_PRIORITY]
              --stop-grace-period S   seconds requests in flight get to finish on SIGTERM, default 8  [STOP_GRACE_PERIOD]
            Every option X-Y is also the variable X_Y; a secret SECRETS_DIR/dfp_x_y wins over the variable.""";

    static CommandLine parse(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("no command given");
        }
        String command = args[0];
        if (command.equals("-h") || command.equals("--help")) {
            command = "help";
        }
        String file = null;
        Map<String, String> flags = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-f") || a.equals("--file")) {
                file = value(args, ++i, a);
            } else if (a.startsWith("--") && a.contains("=")) {
                flags.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            } else if (a.startsWith("--")) {
                flags.put(a.substring(2), value(args, ++i, a));
            } else {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
        }
        for (String name : flags.keySet()) {
            if (!Settings.FLAGS.contains(name)) {
                throw new IllegalArgumentException("unknown option '--" + name + "' (expected one of: --"
                        + String.join(", --", Settings.FLAGS) + ")");
            }
        }
        return new CommandLine(command, file, Map.copyOf(flags));
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
