package dev.sluice.routing.config;

import dev.sluice.routing.ConnectionMode;
import dev.sluice.routing.Mode;
import dev.sluice.routing.Timeouts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The mutable state of one proxy section while it is parsed; also used for {@code defaults}. */
final class ProxyBuilder {

    enum Kind {
        DEFAULTS, FRONTEND, BACKEND, LISTEN;

        String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        boolean front() {
            return this != BACKEND;
        }

        boolean back() {
            return this != FRONTEND;
        }
    }

    /** A reference to check once the whole file is read. */
    record LineRef<T>(int line, String keyword, T value) {
    }

    final Kind kind;
    final String name;
    final int line;

    Mode mode = Mode.HTTP;
    long connect;
    long client;
    long server;
    long httpRequest;
    long httpKeepAlive;
    long queue;
    long tunnel;
    long check;
    ForwardForConfig forwardFor;
    ConnectionMode connectionMode = ConnectionMode.KEEP_ALIVE;
    int retries = ProxySettings.DEFAULT_RETRIES;
    boolean redispatch;
    int maxconn;
    Map<Integer, ErrorFileConfig> errorFiles = new TreeMap<>();
    BalanceConfig balance = BalanceConfig.DEFAULT;
    List<String> defaultServer = new ArrayList<>();
    LineRef<String> defaultBackend;
    String monitorUri;
    HttpCheckConfig httpCheck;
    HttpCheckExpect httpCheckExpect;
    CookieConfig cookie;
    /** {@code tcp-request inspect-delay}, and the line that set it (0: inherited or unset). */
    long inspectDelay;
    int inspectDelayLine;

    final List<BindConfig> binds = new ArrayList<>();
    final List<LineRef<AclConfig>> acls = new ArrayList<>();
    final List<LineRef<HttpRuleConfig>> requestRules = new ArrayList<>();
    final List<LineRef<HttpRuleConfig>> responseRules = new ArrayList<>();
    /** {@code redirect} lines: HAProxy runs them after every http-request rule. */
    final List<LineRef<HttpRuleConfig>> redirectRules = new ArrayList<>();
    final List<LineRef<UseBackendConfig>> useBackends = new ArrayList<>();
    final List<LineRef<ServerConfig>> servers = new ArrayList<>();
    final List<LineRef<TcpRequestConfig.ContentRule>> contentRules = new ArrayList<>();

    ProxyBuilder(Kind kind, String name, int line, ProxyBuilder defaults) {
        this.kind = kind;
        this.name = name;
        this.line = line;
        if (defaults != null) {
            copySettings(defaults);
        }
    }

    private void copySettings(ProxyBuilder d) {
        mode = d.mode;
        connect = d.connect;
        client = d.client;
        server = d.server;
        httpRequest = d.httpRequest;
        httpKeepAlive = d.httpKeepAlive;
        queue = d.queue;
        tunnel = d.tunnel;
        check = d.check;
        forwardFor = d.forwardFor;
        connectionMode = d.connectionMode;
        retries = d.retries;
        redispatch = d.redispatch;
        maxconn = d.maxconn;
        errorFiles = new TreeMap<>(d.errorFiles);
        balance = d.balance;
        defaultServer = new ArrayList<>(d.defaultServer);
        defaultBackend = d.defaultBackend;
        httpCheck = d.httpCheck;
        httpCheckExpect = d.httpCheckExpect;
        cookie = d.cookie;
        inspectDelay = d.inspectDelay;
    }

    String describe() {
        return kind.word() + " '" + name + "'";
    }

    Timeouts timeouts() {
        return new Timeouts(connect, client, server, httpRequest, httpKeepAlive, queue, tunnel, check);
    }

    ProxySettings frontSettings() {
        return new ProxySettings(mode, timeouts(), forwardFor, connectionMode,
                ProxySettings.DEFAULT_RETRIES, false, maxconn, List.copyOf(errorFiles.values()));
    }

    ProxySettings backSettings() {
        return new ProxySettings(mode, timeouts(), forwardFor, connectionMode, retries, redispatch, 0,
                List.copyOf(errorFiles.values()));
    }

    FrontendConfig frontend() {
        String defaultName = defaultBackend == null ? null : defaultBackend.value();
        if (kind == Kind.LISTEN && defaultName == null) {
            defaultName = name;
        }
        // http frontends read no tcp-request lines (the validator said so where it matters)
        TcpRequestConfig tcp = mode == Mode.TCP
                ? new TcpRequestConfig(inspectDelay, values(contentRules)) : TcpRequestConfig.NONE;
        return new FrontendConfig(name, frontSettings(), binds, values(acls), requestRules(),
                values(responseRules), values(useBackends), defaultName, monitorUri, tcp);
    }

    /** A listen's back half carries its ACLs and rules too: HAProxy runs them when another frontend routes to it. */
    BackendConfig backend() {
        HttpCheckConfig check = httpCheck == null ? null
                : httpCheck.withExpect(httpCheckExpect);
        return new BackendConfig(name, backSettings(), balance, values(servers), values(acls), requestRules(),
                values(responseRules), check, cookie);
    }

    private List<HttpRuleConfig> requestRules() {
        List<HttpRuleConfig> all = new ArrayList<>(values(requestRules));
        all.addAll(values(redirectRules));
        return all;
    }

    static <T> List<T> values(List<LineRef<T>> refs) {
        return refs.stream().map(LineRef::value).toList();
    }
}
