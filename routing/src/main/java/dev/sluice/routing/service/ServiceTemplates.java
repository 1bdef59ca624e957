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
 * {@code replace-path ^(.*?)S(.*)$ \1R\N}, since Sluice does not evaluate log-format expressions.
 */
final class ServiceTemplates {

    private static final Pattern BACKREF = Pattern.compile("\\\\(\\d)");
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
            if (!d.isHttp() || d.port() == 0) {
                continue;
            }
            String id = acl + d.port() + "_" + d.index();
            out.line("acl url_" + id + " " + d.pathType() + " " + words(d.servicePath()));
            if (!d.servicePathExclude().isEmpty()) {
                out.line("acl url_exclude_" + id + " " + d.pathType() + " " + words(d.servicePathExclude()));
            }
            if (!d.serviceDomain().isEmpty()) {
                out.line("acl domain_" + id + " " + d.domainAlgo() + " -i " + words(d.serviceDomain()));
            }
            int h = 0;
            for (Map.Entry<String, String> e : d.serviceHeader().entrySet()) {
                out.line("acl hdr_" + id + "_" + h++ + " hdr(" + e.getKey() + ") " + quote(e.getValue()));
            }
            if (d.srcPort() > 0) {
                out.line("acl srcPort_" + acl + d.srcPort() + "_" + d.index() + " dst_port " + d.srcPort());
            }
            if (!d.userAgent().isEmpty()) {
                out.line("acl user_agent_" + id + " hdr_sub(User-Agent) -i " + words(d.userAgent()));
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
            if (!d.isHttp() || d.port() == 0) {
                continue;
            }
            String id = acl + d.port() + "_" + d.index();
            StringBuilder cond = new StringBuilder("url_" + id);
            if (!d.servicePathExclude().isEmpty()) {
                cond.append(" !url_exclude_").append(id);
            }
            cond.append(domainTerm(s, d));
            for (int h = 0; h < d.serviceHeader().size(); h++) {
                cond.append(" hdr_").append(id).append('_').append(h);
            }
            cond.append(srcPortTerm(s, d));
            if (!d.userAgent().isEmpty()) {
                cond.append(" user_agent_").append(id);
            }
            out.line("use_backend " + backendName(s, d) + " if " + cond);
            if (s.isDefaultBackend()) {
                out.line("default_backend " + backendName(s, d));
            }
        }
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

    /** The http backends of {@code s} (one per destination with a port). */
    static void httpBackends(ServiceSpec s, Text out) {
        for (Destination d : s.destinations()) {
            if (!d.isHttp() || d.port() == 0) {
                continue;
            }
            out.section("backend " + backendName(s, d));
            out.line("mode http");
            if (d.httpsOnly()) {
                out.line("http-request redirect scheme https" + code(d) + " if !{ ssl_fc }");
            }
            out.line("http-request add-header X-Forwarded-Proto https if { ssl_fc }");
            if (!s.connectionMode().isEmpty()) {
                out.line("option " + s.connectionMode());
            }
            headers(s, out);
            timeouts(d, out);
            for (SearchReplace sr : d.reqPathSearchReplace()) {
                out.line("http-request replace-path " + quote(replacePathRegex(sr.search())) + " "
                        + quote(replacePathFormat(sr)));
            }
            if (!d.allowedMethods().isEmpty()) {
                out.line("acl valid_allowed_method method " + String.join(" ", d.allowedMethods()));
                out.line("http-request deny unless valid_allowed_method");
            }
            if (!d.deniedMethods().isEmpty()) {
                out.line("acl valid_denied_method method " + String.join(" ", d.deniedMethods()));
                out.line("http-request deny if valid_denied_method");
            }
            if (d.denyHttp()) {
                out.line("http-request deny if !{ ssl_fc }");
            }
            if (s.sessionType().equals("sticky-server")) {
                out.line("balance roundrobin");
                out.line("cookie " + s.serviceName() + " insert indirect nocache");
            }
            for (int i = 0; i < s.tasks().size(); i++) {
                out.line("server " + s.serviceName() + "_" + i + " " + address(s.tasks().get(i), d.port())
                        + " check cookie " + s.serviceName() + "_" + i);
            }
            if (s.tasks().isEmpty()) {
                out.line("server " + s.serviceName() + " " + address(d.upstreamHost(s.serviceName()), d.port()));
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
    }

    /** The tcp backend of destination {@code d}. */
    static void tcpBackend(ServiceSpec s, Destination d, Text out) {
        out.section("backend " + backendName(s, d));
        out.line("mode tcp");
        timeouts(d, out);
        out.line("server " + s.serviceName() + " " + address(d.upstreamHost(s.serviceName()), d.port())
                + (d.checkTcp() ? " check" : ""));
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

    /** regsub's first match of {@code search}, as a whole-path regex: {@code ^(.*?)search(.*)$}. */
    static String replacePathRegex(String search) {
        return "^(.*?)" + search + "(.*)$";
    }

    /** The replacement around the match: {@code \1}, the replacement (its groups shifted by one), the rest. */
    static String replacePathFormat(SearchReplace sr) {
        int groups = Pattern.compile(sr.search()).matcher("").groupCount();
        Matcher m = BACKREF.matcher(sr.replace());
        StringBuilder shifted = new StringBuilder();
        while (m.find()) {
            int group = Integer.parseInt(m.group(1));
            m.appendReplacement(shifted, Matcher.quoteReplacement("\\" + (group == 0 ? 0 : group + 1)));
        }
        m.appendTail(shifted);
        return "\\1" + shifted + "\\" + (groups + 2);
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
