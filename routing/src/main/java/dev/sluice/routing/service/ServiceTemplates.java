package dev.sluice.routing.service;

import static dev.sluice.routing.config.ConfigRenderer.quote;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration lines Docker Flow Proxy's templates generate for one service (its
 * {@code getFrontTemplate} and {@code GetBackTemplate}), in Sluice's HAProxy subset: ACL and
 * backend names, rule order and conditions as Docker Flow Proxy writes them, so the rendered
 * configuration routes the same way in HAProxy. Two deliberate differences: values are quoted
 * where Docker Flow Proxy pasted them raw, and {@code reqPathSearchReplace}'s
 * {@code set-path %[path,regsub(S,R)]} is written as the equivalent
 * {@code replace-path ^(.*?)(S)(.*)$ \1R\N} ({@link PathRewrite}), since Sluice does not evaluate
 * log-format expressions.
 */
final class ServiceTemplates {

    /** Where a header entry's condition starts: {@code " if "} or {@code " unless "}. */
    static final Pattern CONDITION = Pattern.compile("\\s(if|unless)\\s");

    private ServiceTemplates() {
    }

    static String backendName(ServiceSpec s, Destination d) {
        return s.aclName() + "-be" + d.port() + "_" + d.index();
    }

    static String userlistName(ServiceSpec s) {
        return s.serviceName() + "Users";
    }

    /** Lines of frontend {@code services} for the http destinations of {@code s}. */
    static void frontend(ServiceSpec s, Text out) {
        String acl = s.aclName();
        for (Destination d : s.destinations()) {
            if (!d.isHttp()) {
                continue;
            }
            if (d.port() > 0) {
                String id = acl + d.port() + "_" + d.index();
                pathAndDomainAcls(d, "url_" + id, "url_exclude_" + id, "domain_" + id, out);
                int h = 0;
                for (Map.Entry<String, String> e : d.serviceHeader().entrySet()) {
                    out.line("acl hdr_" + id + "_" + h++ + " hdr(" + e.getKey() + ") " + quote(e.getValue()));
                }
            }
            if (d.httpsPort() > 0) {
                String id = acl + d.httpsPort() + "_" + d.index();
                pathAndDomainAcls(d, "url_https_" + id, "url_exclude_https_" + id, "domain_https_" + id, out);
            }
            if (d.srcPort() > 0 && d.port() > 0) {
                out.line("acl srcPort_" + acl + d.srcPort() + "_" + d.index() + " dst_port " + d.srcPort());
            }
            if (d.srcHttpsPort() > 0 && d.httpsPort() > 0) {
                out.line("acl srcHttpsPort_" + acl + d.srcHttpsPort() + "_" + d.index() + " dst_port " + d.srcHttpsPort());
            }
            if (!d.userAgent().isEmpty()) {
                out.line("acl user_agent_" + acl + "_" + d.index() + " hdr_sub(User-Agent) -i " + words(d.userAgent()));
            }
            for (String from : d.redirectFromDomain()) {
                if (!d.serviceDomain().isEmpty()) {
                    out.line("http-request redirect prefix " + quote("http://" + d.serviceDomain().get(0))
                            + " code 301 if { hdr_beg(host) -i " + quote(from) + " }");
                }
            }
        }
        if (s.redirectWhenHttpProto()) {
            for (Destination d : s.destinations()) {
                if (d.isHttp() && d.port() > 0) {
                    out.line("acl is_" + acl + "_http hdr(X-Forwarded-Proto) http");
                    out.line("http-request redirect scheme https" + code(d) + " if is_" + acl + "_http "
                            + "url_" + acl + d.port() + "_" + d.index() + domainTerm(s, d) + srcPortTerm(s, d));
                }
            }
        }
        for (Destination d : s.destinations()) {
            if (!d.isHttp()) {
                continue;
            }
            String agent = d.userAgent().isEmpty() ? "" : " user_agent_" + acl + "_" + d.index();
            if (d.port() > 0) {
                String id = acl + d.port() + "_" + d.index();
                StringBuilder cond = new StringBuilder("url_" + id);
                if (!d.servicePathExclude().isEmpty()) {
                    cond.append(" !url_exclude_").append(id);
                }
                cond.append(domainTerm(s, d));
                for (int h = 0; h < d.serviceHeader().size(); h++) {
                    cond.append(" hdr_").append(id).append('_').append(h);
                }
                cond.append(srcPortTerm(s, d)).append(agent);
                out.line("use_backend " + backendName(s, d) + " if " + cond);
                if (s.isDefaultBackend()) {
                    out.line("default_backend " + backendName(s, d));
                }
            }
            if (d.httpsPort() > 0) {
                String id = acl + d.httpsPort() + "_" + d.index();
                StringBuilder cond = new StringBuilder("url_https_" + id);
                if (!d.servicePathExclude().isEmpty()) {
                    cond.append(" !url_exclude_https_").append(id);
                }
                if (!d.serviceDomain().isEmpty()) {
                    cond.append(" domain_https_").append(id);
                }
                cond.append(" srcHttpsPort_").append(acl).append(d.srcHttpsPort()).append('_').append(d.index());
                out.line("use_backend " + httpsBackendName(s, d) + " if " + cond + agent);
            }
        }
    }

    private static void pathAndDomainAcls(Destination d, String url, String exclude, String domain, Text out) {
        out.line("acl " + url + " " + d.pathType() + " " + words(d.servicePath()));
        if (!d.servicePathExclude().isEmpty()) {
            out.line("acl " + exclude + " " + d.pathType() + " " + words(d.servicePathExclude()));
        }
        if (!d.serviceDomain().isEmpty()) {
            out.line("acl " + domain + " " + d.domainAlgo() + " -i " + words(d.serviceDomain()));
        }
    }

    static String httpsBackendName(ServiceSpec s, Destination d) {
        return "https-" + s.aclName() + "-be" + d.httpsPort() + "_" + d.index();
    }

    private static String domainTerm(ServiceSpec s, Destination d) {
        return d.serviceDomain().isEmpty() ? "" : " domain_" + s.aclName() + d.port() + "_" + d.index();
    }

    private static String srcPortTerm(ServiceSpec s, Destination d) {
        return d.srcPort() > 0 ? " srcPort_" + s.aclName() + d.srcPort() + "_" + d.index() : "";
    }

    private static String code(Destination d) {
        return d.httpsRedirectCode() == 0 ? "" : " code " + d.httpsRedirectCode();
    }

    /** The userlist of {@code s}, if it has users of its own. */
    static void userlist(ServiceSpec s, Text out) {
        if (s.users().isEmpty()) {
            return;
        }
        out.section("userlist " + userlistName(s));
        for (ServiceUser u : s.users()) {
            out.line("user " + quote(u.name()) + (u.encrypted() ? " password " : " insecure-password ")
                    + quote(u.password()));
        }
    }

    /** The http backends of {@code s}: one per destination with a port, one more per https port. */
    static void httpBackends(ServiceSpec s, Text out) {
        for (Destination d : s.destinations()) {
            if (d.isHttp() && d.port() > 0) {
                httpBackend(s, d, backendName(s, d), d.port(), false, out);
            }
        }
        for (Destination d : s.destinations()) {
            if (d.isHttp() && d.httpsPort() > 0) {
                httpBackend(s, d, httpsBackendName(s, d), d.httpsPort(), true, out);
            }
        }
    }

    /**
     * {@code verifyClientSsl} of the destination (its {@code .N} value, else the un-suffixed one):
     * requests without a verified client certificate (CA_FILE) are denied.
     */
    private static boolean verifyClientSsl(ServiceSpec s, Destination d) {
        try {
            return new Params(s.params(), ",").bool("verifyClientSsl", d.index() == 0 ? "" : "." + d.index());
        } catch (ServiceException e) {
            return false; // refused by ServiceParser already
        }
    }

    /** Docker Flow Proxy's backend template; the https one has no redirect to https and no denyHttp. */
    private static void httpBackend(ServiceSpec s, Destination d, String name, int port, boolean https, Text out) {
        out.section("backend " + name);
        out.line("mode http");
        if (d.httpsOnly() && !https) {
            out.line("http-request redirect scheme https" + code(d) + " if !{ ssl_fc }");
        }
        out.line("http-request add-header X-Forwarded-Proto https if { ssl_fc }");
        if (!s.connectionMode().isEmpty()) {
            out.line("option " + s.connectionMode());
        }
        headers(s, out);
        timeouts(d, out);
        for (SearchReplace sr : d.reqPathSearchReplace()) {
            out.line("http-request replace-path " + quote(PathRewrite.replacePathRegex(sr.search())) + " "
                    + quote(PathRewrite.replacePathFormat(sr)));
        }
        if (verifyClientSsl(s, d)) {
            // Docker Flow Proxy writes "acl valid_client_cert_X ssl_c_used ssl_c_verify 0", which HAProxy
            // reads as ssl_c_used alone (a boolean fetch ignores patterns); both tests are meant.
            String acl = "valid_client_cert_" + s.serviceName() + port;
            out.line("acl " + acl + " ssl_c_used");
            out.line("http-request deny unless " + acl + " { ssl_c_verify 0 }");
        }
        if (!d.allowedMethods().isEmpty()) {
            out.line("acl valid_allowed_method method " + String.join(" ", d.allowedMethods()));
            out.line("http-request deny unless valid_allowed_method");
        }
        if (!d.deniedMethods().isEmpty()) {
            out.line("acl valid_denied_method method " + String.join(" ", d.deniedMethods()));
            out.line("http-request deny if valid_denied_method");
        }
        if (d.denyHttp() && !https) {
            out.line("http-request deny if !{ ssl_fc }");
        }
        if (s.sessionType().equals("sticky-server")) {
            out.line("balance roundrobin");
            out.line("cookie " + s.serviceName() + " insert indirect nocache");
        }
        if (s.perTaskServers()) {
            out.line(serverTemplate(s, d, port)
                    + (s.sessionType().equals("sticky-server") ? " cookie " + s.serviceName() : "") + ssl(d));
        } else {
            out.line("server " + s.serviceName() + " " + address(d.upstreamHost(s.serviceName()), port) + ssl(d));
        }
        if (!d.ignoreAuthorization()) {
            if (!s.users().isEmpty()) {
                out.line("acl " + s.serviceName() + "UsersAcl http_auth(" + userlistName(s) + ")");
                out.line("http-request auth realm " + s.serviceName() + "Realm if !" + s.serviceName() + "UsersAcl");
            }
            if (s.useGlobalUsers()) {
                out.line("acl defaultUsersAcl http_auth(defaultUsers)");
                out.line("http-request auth realm defaultRealm if !defaultUsersAcl");
            }
            if (!s.users().isEmpty() || s.useGlobalUsers()) {
                out.line("http-request del-header Authorization");
            }
        }
    }

    /** The tcp backend of destination {@code d}. */
    static void tcpBackend(ServiceSpec s, Destination d, Text out) {
        out.section("backend " + backendName(s, d));
        out.line("mode tcp");
        timeouts(d, out);
        if (s.dnsDiscovery()) {
            out.line(serverTemplate(s, d, d.port()) + ssl(d));
            return;
        }
        out.line("server " + s.serviceName() + " " + address(d.upstreamHost(s.serviceName()), d.port())
                + (d.checkTcp() ? " check" : "") + ssl(d));
    }

    /** {@code sslVerifyNone=true}: TLS to the service without verifying its certificate, as Docker Flow Proxy writes it. */
    private static String ssl(Destination d) {
        return d.sslVerifyNone() ? " ssl verify none" : "";
    }

    /**
     * {@code discoveryType=DNS}: one slot per task, filled from {@code tasks.SERVICE} (Swarm's DNS
     * answers one address per running task, for VIP and dnsrr services alike). With
     * {@code outboundHostname} that name is resolved as given (it names the addresses to use).
     * Docker Flow Proxy writes {@code SERVICE:PORT}, which is the one VIP for a VIP service.
     */
    private static String serverTemplate(ServiceSpec s, Destination d, int port) {
        String name = d.outboundHostname().isEmpty() ? "tasks." + s.serviceName() : d.outboundHostname();
        return "server-template " + s.serviceName() + " " + s.dnsSlots() + " " + address(name, port) + " check";
    }

    private static void headers(ServiceSpec s, Text out) {
        s.addReqHeader().forEach(h -> out.line("http-request add-header " + header(h)));
        s.setReqHeader().forEach(h -> out.line("http-request set-header " + header(h)));
        s.addResHeader().forEach(h -> out.line("http-response add-header " + header(h)));
        s.setResHeader().forEach(h -> out.line("http-response set-header " + header(h)));
        s.delReqHeader().forEach(h -> out.line("http-request del-header " + h));
        s.delResHeader().forEach(h -> out.line("http-response del-header " + h));
    }

    private static void timeouts(Destination d, Text out) {
        if (d.timeoutServer() >= 0) {
            out.line("timeout server " + d.timeoutServer() + "s");
        }
        if (d.timeoutTunnel() >= 0) {
            out.line("timeout tunnel " + d.timeoutTunnel() + "s");
        }
    }

    /**
     * {@code Name value with spaces [if|unless condition]} as name, one quoted value and the
     * condition as written: Docker Flow Proxy pastes the entry after {@code add-header}, so its
     * documented {@code X-Forwarded-Ssl on if { ssl_fc }} adds the header over TLS only.
     */
    private static String header(String entry) {
        int space = entry.indexOf(' ');
        String value = entry.substring(space + 1).trim();
        Matcher condition = CONDITION.matcher(value);
        String suffix = "";
        if (condition.find()) {
            suffix = " " + value.substring(condition.start() + 1);
            value = value.substring(0, condition.start()).trim();
        }
        return entry.substring(0, space) + " " + quote(value) + suffix;
    }

    static String address(String host, int port) {
        return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    private static String words(List<String> values) {
        List<String> quoted = new ArrayList<>();
        values.forEach(v -> quoted.add(quote(v)));
        return String.join(" ", quoted);
    }

    /** Configuration text with, for every line, the service that produced it (for error messages). */
    static final class Text {
        private final StringBuilder text = new StringBuilder();
        private final List<String> owners = new ArrayList<>();
        private String owner = "";

        void owner(String serviceName) {
            owner = serviceName;
        }

        void section(String header) {
            append(header);
        }

        void line(String line) {
            append("    " + line);
        }

        void raw(String lines) {
            for (String l : lines.split("\n", -1)) {
                if (!l.isEmpty()) {
                    append(l);
                }
            }
        }

        private void append(String line) {
            text.append(line).append('\n');
            owners.add(owner);
        }

        /** How many lines were written. */
        int lines() {
            return owners.size();
        }

        /** The service that wrote line {@code n} (1-based), or "". */
        String ownerOf(int n) {
            return n >= 1 && n <= owners.size() ? owners.get(n - 1) : "";
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
