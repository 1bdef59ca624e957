package dev.sluice.routing.config;

import dev.sluice.routing.Mode;
import dev.sluice.routing.acl.AclCompiler;
import dev.sluice.routing.acl.BasicAuth;
import dev.sluice.routing.acl.PredefinedAcls;
import dev.sluice.routing.config.ProxyBuilder.LineRef;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Checks what needs the whole file: references to backends, ACLs and userlists, patterns, modes. */
final class ConfigValidator {

    private final ParseContext ctx;
    private final List<ProxyBuilder> proxies;
    private final Map<String, ProxyBuilder> backends = new HashMap<>();
    private final Function<String, BasicAuth> userlists;
    private final ServerTlsConfig.Verify sslServerVerify;

    ConfigValidator(ParseContext ctx, List<ProxyBuilder> proxies, List<UserlistConfig> lists,
                    ServerTlsConfig.Verify sslServerVerify) {
        this.ctx = ctx;
        this.sslServerVerify = sslServerVerify;
        this.proxies = proxies;
        for (ProxyBuilder p : proxies) {
            if (p.kind.back()) {
                backends.putIfAbsent(p.name, p);
            }
        }
        Map<String, BasicAuth> auth = new HashMap<>();
        for (UserlistConfig u : lists) {
            auth.putIfAbsent(u.name(), BasicAuth.of(u));
        }
        this.userlists = auth::get;
    }

    void validate() {
        for (ProxyBuilder p : proxies) {
            Map<String, Integer> aclNames = new HashMap<>();
            for (LineRef<AclConfig> acl : p.acls) {
                aclNames.putIfAbsent(acl.value().name(), acl.line());
                compile(acl.line(), "acl " + acl.value().name(), acl.value().expr());
            }
            for (LineRef<HttpRuleConfig> r : p.requestRules) {
                condition(p, aclNames, r.line(), r.keyword(), r.value().condition());
            }
            for (LineRef<HttpRuleConfig> r : p.responseRules) {
                condition(p, aclNames, r.line(), r.keyword(), r.value().condition());
            }
            for (LineRef<HttpRuleConfig> r : p.redirectRules) {
                condition(p, aclNames, r.line(), r.keyword(), r.value().condition());
            }
            if (p.mode == Mode.TCP && !(p.requestRules.isEmpty() && p.responseRules.isEmpty())) {
                ctx.warn(p.line, p.describe() + " is in mode tcp: its http-request/http-response rules never run");
            }
            if (p.kind.front()) {
                tcpRequest(p, aclNames);
                for (LineRef<UseBackendConfig> u : p.useBackends) {
                    condition(p, aclNames, u.line(), u.keyword(), u.value().condition());
                    target(p, u.line(), u.keyword(), u.value().backend());
                }
                if (p.defaultBackend != null) {
                    target(p, p.defaultBackend.line(), "default_backend", p.defaultBackend.value());
                }
            }
            if (p.kind.back()) {
                servers(p);
            }
        }
    }

    /**
     * Content rules are applied by mode tcp frontends. A mode http frontend keeps only the wait for
     * a TLS ClientHello, which changes nothing there: its TLS is terminated before routing.
     */
    private void tcpRequest(ProxyBuilder p, Map<String, Integer> aclNames) {
        for (LineRef<TcpRequestConfig.ContentRule> r : p.contentRules) {
            condition(p, aclNames, r.line(), r.keyword(), r.value().condition());
            if (p.mode == Mode.HTTP) {
                if (isHelloAccept(r.value())) {
                    ctx.ignored(r.line(), "tcp-request content accept", "in mode http, TLS is terminated before routing");
                } else {
                    ctx.error(r.line(), "'tcp-request content': " + p.describe() + " is in mode http (expected "
                            + "tcp-request content rules in a mode tcp frontend; use http-request rules here)");
                }
            }
        }
        if (p.mode == Mode.HTTP && p.inspectDelayLine > 0) {
            ctx.ignored(p.inspectDelayLine, "tcp-request inspect-delay", "in mode http, TLS is terminated before routing");
        }
        if (p.mode == Mode.TCP && p.inspectDelay == 0 && !p.contentRules.isEmpty()) {
            ctx.warn(p.contentRules.get(0).line(), "'tcp-request content' without 'tcp-request inspect-delay' in "
                    + p.describe() + ": rules are evaluated at once, before any data is read (expected an "
                    + "inspect-delay, e.g. 5s, to wait for a TLS ClientHello)");
        }
    }

    /** {@code tcp-request content accept if { req_ssl_hello_type 1 }} (or {@code req.ssl_hello_type}). */
    static boolean isHelloAccept(TcpRequestConfig.ContentRule rule) {
        ConditionConfig c = rule.condition();
        if (!rule.accept() || c == null || c.unless() || c.groups().size() != 1 || c.groups().get(0).size() != 1) {
            return false;
        }
        ConditionConfig.Term t = c.groups().get(0).get(0);
        AclExpr e = t.anonymous();
        return !t.negated() && e != null && (e.fetch().equals("req_ssl_hello_type") || e.fetch().equals("req.ssl_hello_type"))
                && e.patterns().equals(List.of("1"));
    }

    private void servers(ProxyBuilder p) {
        Map<String, Integer> seen = new HashMap<>();
        for (LineRef<ServerConfig> s : p.servers) {
            Integer previous = seen.putIfAbsent(s.value().name(), s.line());
            if (previous != null) {
                ctx.error(s.line(), "'server " + s.value().name() + "': " + p.describe()
                        + " already has a server of that name at line " + previous + " (names must be unique)");
            }
            ServerTlsConfig tls = s.value().tls();
            if (tls.usesTls() && tls.resolve(sslServerVerify).verifies() && tls.caFile() == null) {
                // HAProxy 2.6 refuses this too: verification is on by default and needs CAs
                ctx.error(s.line(), "'server " + s.value().name() + "': verify is enabled by default but no CA "
                        + "file specified (expected 'ca-file FILE' or 'ca-file @system-ca' to verify the server's "
                        + "certificate, or 'verify none' on the server line or 'ssl-server-verify none' in global "
                        + "where the network is trusted)");
            }
            if (s.value().h2() && p.mode == Mode.TCP) {
                // HAProxy: "MUX protocol 'h2' is not usable" for a server of a tcp backend
                ctx.error(s.line(), "'server " + s.value().name() + " proto h2': " + p.describe()
                        + " is in mode tcp (expected mode http: HTTP/2 carries HTTP requests)");
            } else if (s.value().h2() && s.value().tls().ssl()) {
                // h2 over TLS needs ALPN on the server connection; Sluice sends h2c (prior knowledge) only
                ctx.error(s.line(), "'server " + s.value().name() + " proto h2': HTTP/2 over TLS (ssl) to a "
                        + "server is not supported (expected proto h2 without ssl: cleartext h2c, or ssl without "
                        + "proto h2: HTTP/1.1 over TLS)");
            } else if (s.value().h2() && s.value().check().enabled() && p.httpCheck != null) {
                // HAProxy sends such checks over h2 too; Sluice's checker speaks HTTP/1.1 only, which an
                // h2c server refuses: better refused here than a server wrongly marked DOWN
                ctx.error(s.line(), "'server " + s.value().name() + " proto h2 check': HTTP checks "
                        + "(option httpchk) over HTTP/2 are not supported (expected a TCP check: no option "
                        + "httpchk in " + p.describe() + ")");
            }
        }
    }

    private void target(ProxyBuilder p, int line, String keyword, String name) {
        ProxyBuilder b = backends.get(name);
        if (b == null) {
            ctx.error(line, "'" + keyword + "': no backend named '" + name
                    + "' (expected the name of a backend or listen section)");
        } else if (p.mode == Mode.HTTP && b.mode == Mode.TCP) {
            ctx.error(line, "'" + keyword + "': backend '" + name + "' is in mode tcp but " + p.describe()
                    + " is in mode http (expected the same mode)");
        }
    }

    private void condition(ProxyBuilder p, Map<String, Integer> aclNames, int line, String keyword,
                           ConditionConfig condition) {
        if (condition == null) {
            return;
        }
        for (List<ConditionConfig.Term> group : condition.groups()) {
            for (ConditionConfig.Term t : group) {
                if (t.anonymous() != null) {
                    compile(line, keyword, t.anonymous());
                } else if (aclNames.containsKey(t.aclName())) {
                    int declared = aclNames.get(t.aclName());
                    if (declared > line) {
                        ctx.error(line, "'" + keyword + "': ACL '" + t.aclName() + "' is used before its declaration"
                                + " at line " + declared + " (expected the acl line first, as HAProxy requires)");
                    }
                } else if (PredefinedAcls.get(t.aclName()) == null) {
                    ctx.error(line, "'" + keyword + "': unknown ACL '" + t.aclName()
                            + "' (expected an acl declared in " + p.describe() + ")");
                }
            }
        }
    }

    private void compile(int line, String keyword, AclExpr expr) {
        try {
            AclCompiler.compile(expr, userlists);
        } catch (IllegalArgumentException e) {
            ctx.error(line, "'" + keyword + "': " + e.getMessage());
        }
    }
}
