package dev.sluice.routing.config;

import static java.util.Objects.requireNonNull;

import dev.sluice.routing.ConnectionMode;
import dev.sluice.routing.Mode;
import dev.sluice.routing.Timeouts;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a {@link ProxyConfig} back in HAProxy syntax. Defaults are already applied in the model,
 * so every proxy is written with its effective settings and no {@code defaults} section;
 * parsing the output gives an equal model.
 */
public final class ConfigRenderer {

    private static final String REDACTED = "<redacted>";

    private final StringBuilder out = new StringBuilder();
    private final boolean redact;

    private ConfigRenderer(boolean redact) {
        this.redact = redact;
    }

    /** The whole configuration; parsing it gives an equal model. */
    public static String render(ProxyConfig config) {
        return render(config, false);
    }

    /**
     * For display (logs, the admin API's config view): every password and password hash is
     * replaced by {@code <redacted>}, so the output does not parse back to the same model.
     */
    public static String renderRedacted(ProxyConfig config) {
        return render(config, true);
    }

    /**
     * A {@code defaults} section carrying {@code settings} (as a backend has them), so proxies
     * written after it inherit them.
     */
    public static String renderDefaults(ProxySettings settings) {
        requireNonNull(settings, "settings");
        ConfigRenderer r = new ConfigRenderer(false);
        r.out.append("defaults\n");
        r.settings(settings, true);
        if (settings.connectionMode() == ConnectionMode.KEEP_ALIVE) {
            r.line("option", "http-keep-alive");
        }
        return r.out.toString();
    }

    /** {@code word} quoted as the parser needs it (unchanged when it has nothing special). */
    public static String quote(String word) {
        return Tokenizer.quote(word);
    }

    private static String render(ProxyConfig config, boolean redact) {
        requireNonNull(config, "config");
        ConfigRenderer r = new ConfigRenderer(redact);
        r.global(config.global());
        config.userlists().forEach(r::userlist);
        config.resolvers().forEach(r::resolvers);
        r.proxies(config);
        return r.out.toString();
    }

    private void line(String... words) {
        out.append("    ");
        for (int i = 0; i < words.length; i++) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(words[i]);
        }
        out.append('\n');
    }

    private static String q(String word) {
        return Tokenizer.quote(word);
    }

    private void global(GlobalConfig g) {
        out.append("global\n");
        if (g.maxconn() > 0) {
            line("maxconn", Integer.toString(g.maxconn()));
        }
        if (g.bufsize() != GlobalConfig.DEFAULT.bufsize()) {
            line("tune.bufsize", Integer.toString(g.bufsize()));
        }
        if (g.maxHeaders() != GlobalConfig.DEFAULT.maxHeaders()) {
            line("tune.http.maxhdr", Integer.toString(g.maxHeaders()));
        }
        if (!g.sslBindOptions().isEmpty()) {
            List<String> words = new ArrayList<>();
            words.add("ssl-default-bind-options");
            g.sslBindOptions().forEach(o -> words.add(q(o)));
            line(words.toArray(String[]::new));
        }
        if (g.sslBindCiphers() != null) {
            line("ssl-default-bind-ciphers", q(g.sslBindCiphers()));
        }
        if (g.sslBindCiphersuites() != null) {
            line("ssl-default-bind-ciphersuites", q(g.sslBindCiphersuites()));
        }
        if (g.log()) {
            line("log", "stdout", "format", "raw", "local0");
        }
        if (g.sslServerVerify() != ServerTlsConfig.Verify.DEFAULT) {
            line("ssl-server-verify", g.sslServerVerify().name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    private void userlist(UserlistConfig u) {
        out.append("\nuserlist ").append(q(u.name())).append('\n');
        for (UserlistConfig.Group g : u.groups()) {
            if (g.users().isEmpty()) {
                line("group", q(g.name()));
            } else {
                line("group", q(g.name()), "users", q(String.join(",", g.users())));
            }
        }
        for (UserlistConfig.User user : u.users()) {
            String kind = user.insecure() ? "insecure-password" : "password";
            String password = redact ? REDACTED : q(user.password());
            if (user.groups().isEmpty()) {
                line("user", q(user.name()), kind, password);
            } else {
                line("user", q(user.name()), kind, password, "groups", q(String.join(",", user.groups())));
            }
        }
    }

    /**
     * Writes frontends, backends and listen pairs in one order that keeps both the frontend
     * order and the backend order, so parsing gives the same lists; a pair that cannot be placed
     * so is written as a frontend and a backend.
     */
    private void proxies(ProxyConfig config) {
        java.util.Set<String> listens = new java.util.HashSet<>();
        for (FrontendConfig f : config.frontends()) {
            BackendConfig b = config.backend(f.name());
            if (b != null && isListen(f, b)) {
                listens.add(f.name());
            }
        }
        List<FrontendConfig> fs = config.frontends();
        List<BackendConfig> bs = config.backends();
        int i = 0;
        int j = 0;
        while (i < fs.size() || j < bs.size()) {
            if (i < fs.size() && !listens.contains(fs.get(i).name())) {
                frontend(fs.get(i++));
            } else if (j < bs.size() && !listens.contains(bs.get(j).name())) {
                backend(bs.get(j++));
            } else if (i < fs.size() && j < bs.size() && fs.get(i).name().equals(bs.get(j).name())) {
                listen(fs.get(i++), bs.get(j++));
            } else if (i < fs.size()) {
                listens.remove(fs.get(i).name());
                frontend(fs.get(i++));
            } else {
                backend(bs.get(j++));
            }
        }
    }

    /** A frontend and backend that a {@code listen} section produces (and only such a pair). */
    static boolean isListen(FrontendConfig f, BackendConfig b) {
        ProxySettings fs = f.settings();
        ProxySettings bs = b.settings();
        return f.name().equals(f.defaultBackend()) && f.acls().equals(b.acls())
               && f.requestRules().equals(b.requestRules()) && f.responseRules().equals(b.responseRules())
               && fs.retries() == ProxySettings.DEFAULT_RETRIES && !fs.redispatch() && bs.maxconn() == 0
               && fs.mode() == bs.mode() && fs.timeouts().equals(bs.timeouts())
               && java.util.Objects.equals(fs.forwardFor(), bs.forwardFor())
               && fs.connectionMode() == bs.connectionMode() && fs.errorFiles().equals(bs.errorFiles());
    }

    private void listen(FrontendConfig f, BackendConfig b) {
        out.append("\nlisten ").append(q(f.name())).append('\n');
        settings(f.settings(), false);
        ProxySettings bs = b.settings();
        if (bs.retries() != ProxySettings.DEFAULT_RETRIES) {
            line("retries", Integer.toString(bs.retries()));
        }
        if (bs.redispatch()) {
            line("option", "redispatch");
        }
        if (!b.balance().isDefaultAlgorithm()) {
            line("balance", b.balance().text());
        }
        if (b.balance().allBackups()) {
            line("option", "allbackups");
        }
        httpCheck(b.httpCheck());
        cookie(b.cookie());
        frontBody(f, false);
        servers(b);
    }

    private void frontend(FrontendConfig f) {
        out.append("\nfrontend ").append(q(f.name())).append('\n');
        settings(f.settings(), false);
        frontBody(f, true);
    }

    private void frontBody(FrontendConfig f, boolean withDefault) {
        for (BindConfig b : f.binds()) {
            List<String> words = new ArrayList<>();
            words.add("bind");
            words.add(address(b.host() == null ? "*" : b.host(), b.port()));
            if (b.ssl()) {
                words.add("ssl");
            }
            b.options().forEach(o -> words.add(q(o)));
            line(words.toArray(String[]::new));
        }
        if (f.monitorUri() != null) {
            line("monitor-uri", q(f.monitorUri()));
        }
        if (f.tcpRequest().inspectDelayMs() > 0) {
            line("tcp-request", "inspect-delay", Values.formatTime(f.tcpRequest().inspectDelayMs()));
        }
        proxyRules(f.acls(), f.requestRules(), f.responseRules());
        for (TcpRequestConfig.ContentRule r : f.tcpRequest().contentRules()) {
            line("tcp-request", "content", (r.accept() ? "accept" : "reject") + RuleText.condition(r.condition()));
        }
        for (UseBackendConfig u : f.useBackends()) {
            line("use_backend", q(u.backend()) + RuleText.condition(u.condition()));
        }
        if (withDefault && f.defaultBackend() != null) {
            line("default_backend", q(f.defaultBackend()));
        }
    }

    private void backend(BackendConfig b) {
        out.append("\nbackend ").append(q(b.name())).append('\n');
        settings(b.settings(), true);
        if (!b.balance().isDefaultAlgorithm()) {
            line("balance", b.balance().text());
        }
        if (b.balance().allBackups()) {
            line("option", "allbackups");
        }
        httpCheck(b.httpCheck());
        cookie(b.cookie());
        proxyRules(b.acls(), b.requestRules(), b.responseRules());
        servers(b);
    }

    private void servers(BackendConfig b) {
        List<ServerConfig> all = b.servers();
        for (int i = 0; i < all.size(); i++) {
            ServerConfig s = all.get(i);
            if (s.template() != null && s.name().endsWith("1")) {
                // the slots of one server-template line: PREFIX1..PREFIXN, alike but for the name
                String prefix = s.name().substring(0, s.name().length() - 1);
                int n = 1;
                while (i + n < all.size() && all.get(i + n).equals(s.asSlot(prefix + (n + 1), s.template()))) {
                    n++;
                }
                List<String> words = new ArrayList<>(List.of("server-template", q(prefix), Integer.toString(n),
                        q(s.template() + ":" + s.port())));
                ServerParser.renderOptions(s).forEach(o -> words.add(q(o)));
                line(words.toArray(String[]::new));
                i += n - 1;
                continue;
            }
            List<String> words = new ArrayList<>(List.of("server", q(s.name()), q(address(s.host(), s.port()))));
            ServerParser.renderOptions(s).forEach(o -> words.add(q(o)));
            line(words.toArray(String[]::new));
        }
    }

    private void resolvers(ResolversConfig r) {
        out.append("\nresolvers ").append(q(r.name())).append('\n');
        for (ResolversConfig.Nameserver n : r.nameservers()) {
            line("nameserver", q(n.name()), q(address(n.host(), n.port())));
        }
        if (r.holdValidMs() > 0) {
            line("hold", "valid", Values.formatTime(r.holdValidMs()));
        }
    }

    private void cookie(CookieConfig c) {
        if (c != null) {
            line(c.words().toArray(String[]::new));
        }
    }

    private void httpCheck(HttpCheckConfig c) {
        if (c == null) {
            return;
        }
        line("option", "httpchk", q(c.method()), q(c.uri()), q(c.version()));
        if (c.expect() != null) {
            List<String> words = new ArrayList<>(List.of("http-check", "expect"));
            for (String x : c.expect().words()) {
                words.add(q(x));
            }
            line(words.toArray(String[]::new));
        }
    }

    private static String address(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ':' + port;
    }

    private void settings(ProxySettings s, boolean backend) {
        line("mode", s.mode() == Mode.TCP ? "tcp" : "http");
        if (!backend && s.maxconn() > 0) {
            line("maxconn", Integer.toString(s.maxconn()));
        }
        timeouts(s.timeouts());
        ForwardForConfig ff = s.forwardFor();
        if (ff != null) {
            List<String> words = new ArrayList<>(List.of("option", "forwardfor"));
            if (ff.except() != null) {
                words.add("except");
                words.add(q(ff.except()));
            }
            if (!ff.header().equals(ForwardForConfig.DEFAULT_HEADER)) {
                words.add("header");
                words.add(q(ff.header()));
            }
            line(words.toArray(String[]::new));
        }
        if (s.connectionMode() == ConnectionMode.SERVER_CLOSE) {
            line("option", "http-server-close");
        } else if (s.connectionMode() == ConnectionMode.CLOSE) {
            line("option", "httpclose");
        }
        if (backend && s.retries() != ProxySettings.DEFAULT_RETRIES) {
            line("retries", Integer.toString(s.retries()));
        }
        if (backend && s.redispatch()) {
            line("option", "redispatch");
        }
        for (ErrorFileConfig e : s.errorFiles()) {
            line("errorfile", Integer.toString(e.status()), q(e.path()));
        }
    }

    private void timeouts(Timeouts t) {
        timeout("connect", t.connectMs());
        timeout("client", t.clientMs());
        timeout("server", t.serverMs());
        timeout("http-request", t.httpRequestMs());
        timeout("http-keep-alive", t.httpKeepAliveMs());
        timeout("queue", t.queueMs());
        timeout("tunnel", t.tunnelMs());
        timeout("check", t.checkMs());
    }

    private void timeout(String name, long ms) {
        if (ms > 0) {
            line("timeout", name, Values.formatTime(ms));
        }
    }

    private void proxyRules(List<AclConfig> acls, List<HttpRuleConfig> request, List<HttpRuleConfig> response) {
        for (AclConfig a : acls) {
            line("acl", q(a.name()), RuleText.expr(a.expr()));
        }
        for (HttpRuleConfig r : request) {
            line("http-request", RuleText.action(r.action()) + RuleText.condition(r.condition()));
        }
        for (HttpRuleConfig r : response) {
            line("http-response", RuleText.action(r.action()) + RuleText.condition(r.condition()));
        }
    }
}
