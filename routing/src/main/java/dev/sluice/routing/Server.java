package dev.sluice.routing;

import static java.util.Objects.requireNonNull;

import dev.sluice.routing.config.HealthCheckConfig;
import dev.sluice.routing.config.ServerTlsConfig;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * A {@code server} of a backend: its settings and a reference to its live {@link ServerState}.
 * The state object is carried over by identity when a new routing table is compiled.
 */
public final class Server {

    private final String backendName;
    private final String name;
    private final String host;
    private final int port;
    private final int weight;
    private final boolean backup;
    private final boolean disabled;
    private final int maxconn;
    private final ServerState state;
    private final String cookie;
    private final HealthCheckConfig check;
    private final List<InetSocketAddress> nameservers;
    private final ServerTlsConfig tls;
    private final boolean h2;

    public Server(String backendName, String name, String host, int port, int weight,
                  boolean backup, boolean disabled, int maxconn, ServerState state) {
        this(backendName, name, host, port, weight, backup, disabled, maxconn, state, null);
    }

    /** @param cookie the server's persistence cookie value; {@code null}: none */
    public Server(String backendName, String name, String host, int port, int weight,
                  boolean backup, boolean disabled, int maxconn, ServerState state, String cookie) {
        this(backendName, name, host, port, weight, backup, disabled, maxconn, state, cookie,
                HealthCheckConfig.DEFAULT);
    }

    /** @param check the {@code check} options of the server line (checks run only when enabled) */
    public Server(String backendName, String name, String host, int port, int weight,
                  boolean backup, boolean disabled, int maxconn, ServerState state, String cookie,
                  HealthCheckConfig check) {
        this(backendName, name, host, port, weight, backup, disabled, maxconn, state, cookie, check, List.of());
    }

    /**
     * @param nameservers the DNS servers of the server's {@code resolvers} section (unresolved
     *                    IP:PORT); empty: the proxy's default resolvers
     */
    public Server(String backendName, String name, String host, int port, int weight,
                  boolean backup, boolean disabled, int maxconn, ServerState state, String cookie,
                  HealthCheckConfig check, List<InetSocketAddress> nameservers) {
        this(backendName, name, host, port, weight, backup, disabled, maxconn, state, cookie, check, nameservers,
                ServerTlsConfig.NONE);
    }

    /** @param tls the TLS options, with {@code verify} resolved against the global {@code ssl-server-verify} */
    public Server(String backendName, String name, String host, int port, int weight,
                  boolean backup, boolean disabled, int maxconn, ServerState state, String cookie,
                  HealthCheckConfig check, List<InetSocketAddress> nameservers, ServerTlsConfig tls) {
        this(backendName, name, host, port, weight, backup, disabled, maxconn, state, cookie, check, nameservers,
                tls, false);
    }

    /** @param h2 {@code proto h2}: requests go to the server over HTTP/2 (h2c with prior knowledge) */
    public Server(String backendName, String name, String host, int port, int weight,
                  boolean backup, boolean disabled, int maxconn, ServerState state, String cookie,
                  HealthCheckConfig check, List<InetSocketAddress> nameservers, ServerTlsConfig tls, boolean h2) {
        this.tls = requireNonNull(tls, "tls");
        this.h2 = h2;
        this.nameservers = List.copyOf(nameservers);
        this.cookie = cookie;
        this.check = requireNonNull(check, "check");
        this.backendName = requireNonNull(backendName, "backendName");
        this.name = requireNonNull(name, "name");
        this.host = requireNonNull(host, "host");
        this.port = port;
        this.weight = weight;
        this.backup = backup;
        this.disabled = disabled;
        this.maxconn = maxconn;
        this.state = requireNonNull(state, "state");
    }

    public String backendName() { return backendName; }
    public String name() { return name; }
    /** An IP literal or a host name (a Swarm service name) resolved through DNS. */
    public String host() { return host; }
    public int port() { return port; }
    public int weight() { return weight; }
    public boolean backup() { return backup; }
    public boolean disabled() { return disabled; }
    /** {@code 0} for no limit. */
    public int maxconn() { return maxconn; }
    public ServerState state() { return state; }
    /**
     * The persistence cookie value. A server-template slot's names its address ({@code COOKIE-IP}),
     * so a client stays with its task when tasks come and go and slots are reassigned; a slot
     * without an address has none.
     */
    public String cookie() {
        if (cookie == null || !state.isSlot()) {
            return cookie;
        }
        InetSocketAddress a = state.address();
        return a == null ? null : cookie + '-' + (a.getAddress() == null ? a.getHostString()
                : a.getAddress().getHostAddress().replace(':', '.'));
    }

    /** The DNS servers that resolve {@link #host()}; empty: the proxy's default resolvers. */
    public List<InetSocketAddress> nameservers() { return nameservers; }

    /** A {@code server-template} slot: its address comes from DNS discovery, never from {@link #host()}. */
    public boolean isSlot() { return state.isSlot(); }
    public HealthCheckConfig check() { return check; }
    /** TLS to this server and of its checks ({@link ServerTlsConfig#NONE}: none). */
    public ServerTlsConfig tls() { return tls; }
    /** {@code proto h2}: requests go to this server as streams of a shared HTTP/2 connection. */
    public boolean h2() { return h2; }

    /** Not {@code disabled}, UP, READY (and a slot with an address): may be picked by the balancer. */
    public boolean isUsable() { return !disabled && state.isUsable(); }

    /** Whether this server may take one more request now ({@code maxconn}). */
    public boolean hasCapacity() {
        return maxconn <= 0 || state.active() < maxconn;
    }

    // ---- passive observation: called by the data plane; nothing is written on success -----------

    /** A connection to this server failed (refused, timed out, reset before any response). */
    public void observeConnectFailure(String reason) {
        if (check.observe() != HealthCheckConfig.Observe.NONE) {
            state.observeError(check.errorLimit(), reason);
        }
    }

    /** A connection to this server was established. Resets the count under {@code observe layer4} only. */
    public void observeConnected() {
        if (check.observe() == HealthCheckConfig.Observe.LAYER4) {
            state.observeSuccess();
        }
    }

    /**
     * This server answered {@code status}. Under {@code observe layer7} a 5xx other than 501 and
     * 505 counts as an error (as in HAProxy), any other status resets the count.
     */
    public void observeStatus(int status) {
        if (check.observe() != HealthCheckConfig.Observe.LAYER7) {
            return;
        }
        if (status >= 500 && status != 501 && status != 505) {
            state.observeError(check.errorLimit(), "Layer7 status " + status);
        } else {
            state.observeSuccess();
        }
    }

    /** No valid response: a timeout, an invalid response, a close before it. Counted under {@code observe layer7}. */
    public void observeResponseFailure(String reason) {
        if (check.observe() == HealthCheckConfig.Observe.LAYER7) {
            state.observeError(check.errorLimit(), reason);
        }
    }

    @Override
    public String toString() {
        return backendName + '/' + name + '(' + host + ':' + port + ')';
    }
}
