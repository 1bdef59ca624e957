package dev.sluice.routing.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigErrorsTest {

    private static List<String> errors(String text) {
        ParseResult r = ConfigParser.parse(text, "bad.cfg", null);
        assertThat(r.config()).isNull();
        return r.errors().stream().map(ConfigMessage::toString).toList();
    }

    private static String error(String text) {
        List<String> errors = errors(text);
        assertThat(errors).hasSize(1);
        return errors.get(0);
    }

    @Test
    void everyErrorIsCollected_notJustTheFirst() {
        List<String> e = errors("global\n bogus 1\nfrontend f\n timeout client 5x\n mode udp\n"
                + " use_backend nowhere\nbackend b\n server s1 10.0.0.1:99999\n");
        assertThat(e).containsExactly(
                "bad.cfg:2: unknown keyword 'bogus' in global section (expected one of: maxconn, ssl-server-verify, tune.bufsize, "
                + "tune.http.maxhdr, or an ignored process setting such as log, daemon, nbthread)",
                "bad.cfg:4: 'timeout client': invalid time '5x' (expected a number with unit us, ms, s, m, h or d)",
                "bad.cfg:5: 'mode': invalid mode 'udp' (expected http or tcp)",
                "bad.cfg:8: 'server s1': port 99999 out of range (expected 1-65535)",
                "bad.cfg:6: 'use_backend': no backend named 'nowhere' (expected the name of a backend or listen section)");
    }

    @Test
    void replacementNamingAGroupTheRegexLacks_isRefusedWhenRead() {
        assertThat(error("backend b\n http-request replace-path /a/(.*) /\\2\n")).isEqualTo(
                "bad.cfg:2: 'http-request replace-path': the replacement '/\\2' names group \\2 but the regex "
                + "'/a/(.*)' has 1 group");
        assertThat(error("backend b\n http-response replace-header X-A ^x$ \\1\n")).contains("has 0 groups");
    }

    @Test
    void timeoutWithBadUnit_namesKeywordAndExpectedUnits() {
        assertThat(error("backend b\n timeout server 5x\n")).isEqualTo(
                "bad.cfg:2: 'timeout server': invalid time '5x' (expected a number with unit us, ms, s, m, h or d)");
        assertThat(error("backend b\n timeout client 25d\n")).isEqualTo("bad.cfg:2: 'timeout client': time '25d' is "
                + "too large (expected at most 2147483647ms, about 24d)");
        assertThat(error("backend b\n timeout client 99999999999999999999s\n")).contains("is too large");
        assertThat(error("backend b\n timeout bogus 5s\n")).startsWith("bad.cfg:2: unknown timeout 'bogus' (expected one of:");
    }

    @Test
    void unknownKeyword_listsWhatTheSectionAccepts() {
        assertThat(error("frontend f\n frobnicate on\n")).isEqualTo("bad.cfg:2: unknown keyword 'frobnicate' in "
                + "frontend section (expected one of: acl, bind, default_backend, errorfile, http-request, "
                + "http-response, maxconn, mode, monitor-uri, no, option, redirect, tcp-request, timeout, use_backend)");
        assertThat(error("frontend f\n default-server inter 2s\n")).isEqualTo("bad.cfg:2: 'default-server' is not "
                + "allowed in a frontend section (expected it in a backend or listen section)");
        assertThat(error("frontend f\n no option forwardfor\n")).isEqualTo("bad.cfg:2: 'no option forwardfor' is "
                + "not supported (HAProxy has no negation for forwardfor; expected it only where it applies)");
        assertThat(error("frontend f\n server s 1.2.3.4:80\n")).isEqualTo(
                "bad.cfg:2: 'server' is not allowed in a frontend section (expected it in a backend or listen section)");
        assertThat(error("defaults\n http-request deny\n")).isEqualTo("bad.cfg:2: 'http-request' is not supported in "
                + "a defaults section (expected it in a frontend, backend or listen section)");
    }

    @Test
    void keywordOutsideASection_isAnError() {
        assertThat(error("maxconn 10\n")).isEqualTo("bad.cfg:1: 'maxconn' outside of any section (expected a "
                + "section keyword first: global, defaults, frontend, backend, listen, userlist, resolvers)");
    }

    @Test
    void undefinedReferences_areErrorsOnTheLineThatUsesThem() {
        assertThat(error("frontend f\n default_backend missing\n")).isEqualTo("bad.cfg:2: 'default_backend': no "
                + "backend named 'missing' (expected the name of a backend or listen section)");
        assertThat(error("frontend f\n use_backend b if is_api\nbackend b\n")).isEqualTo(
                "bad.cfg:2: 'use_backend': unknown ACL 'is_api' (expected an acl declared in frontend 'f')");
        assertThat(error("frontend f\n http-request deny if !{ http_auth(admins) }\n")).isEqualTo(
                "bad.cfg:2: 'http-request': http_auth(admins): no userlist named 'admins' "
                + "(expected the name of a userlist section)");
    }

    @Test
    void aclUsedBeforeItsDeclaration_isAnErrorAsInHaproxy() {
        assertThat(error("frontend f\n use_backend b if x\n acl x path /\nbackend b\n")).isEqualTo("bad.cfg:2: "
                + "'use_backend': ACL 'x' is used before its declaration at line 3 (expected the acl line first, "
                + "as HAProxy requires)");
        // later lines of an already declared ACL still add to it
        ParseResult ok = ConfigParser.parse("frontend f\n acl x path /a\n use_backend b if x\n acl x path /b\n"
                + "backend b\n", "ok.cfg", null);
        assertThat(ok.errors()).isEmpty();
        assertThat(ok.config().frontend("f").acls()).hasSize(2);
    }

    @Test
    void badPatterns_areErrorsOnTheAclLine() {
        assertThat(error("frontend f\n acl a path_reg ^/(unclosed\n")).startsWith(
                "bad.cfg:2: 'acl a': invalid regex '^/(unclosed': ");
        assertThat(error("frontend f\n acl a src 10.0.0.0/33\n")).isEqualTo("bad.cfg:2: 'acl a': invalid network "
                + "mask in '10.0.0.0/33' (expected 0-32 bits or a dotted mask)");
        assertThat(error("frontend f\n acl a src 300.1.1.1\n")).isEqualTo("bad.cfg:2: 'acl a': invalid address or "
                + "network '300.1.1.1' (expected an IPv4 or IPv6 address, optionally with /BITS)");
        assertThat(error("frontend f\n acl a dst_port 80:x\n")).startsWith("bad.cfg:2: 'acl a': invalid integer pattern 'x'");
        assertThat(error("frontend f\n acl a dst_port ne 80\n")).isEqualTo("bad.cfg:2: 'acl a': invalid integer "
                + "pattern 'ne' (expected N, MIN:MAX, or eq|lt|le|gt|ge N)");
        assertThat(error("frontend f\n acl a nosuchfetch foo\n")).startsWith(
                "bad.cfg:2: 'acl a': unknown fetch 'nosuchfetch' (expected one of: ");
        assertThat(error("frontend f\n acl a path,base64 foo\n")).isEqualTo(
                "bad.cfg:2: 'acl a': unknown converter 'base64' (expected lower or upper)");
        assertThat(error("frontend f\n acl a path -m bogus x\n")).startsWith(
                "bad.cfg:2: 'acl a': unknown match method '-m bogus' (expected one of: ");
        assertThat(error("frontend f\n acl a path -x y\n")).isEqualTo(
                "bad.cfg:2: 'acl a': unknown flag '-x' (expected -i, -m METHOD, -f FILE, -n or --)");
        assertThat(error("frontend f\n acl a hdr foo\n")).isEqualTo(
                "bad.cfg:2: 'acl a': 'hdr' needs an argument (expected hdr(NAME))");
        assertThat(error("frontend f\n acl a dst_port -m beg 8\n")).startsWith(
                "bad.cfg:2: 'acl a': match method '-m beg' does not apply to integer fetch 'dst_port'");
        assertThat(error("frontend f\n use_backend b if { path_reg ( }\nbackend b\n")).startsWith(
                "bad.cfg:2: 'use_backend': invalid regex '('");
    }

    @Test
    void badForwardforNetwork_isAnError() {
        assertThat(error("defaults\n option forwardfor except 10.0.0.0/99\nfrontend f\n")).isEqualTo(
                "bad.cfg:2: 'option forwardfor': invalid network mask in '10.0.0.0/99' (expected 0-32 bits or a dotted mask)");
    }

    @Test
    void missingPatternFile_isAnError() {
        assertThat(error("frontend f\n acl a path_beg -f /nonexistent/x.lst\n")).isEqualTo(
                "bad.cfg:2: 'acl a -f': cannot read file '/nonexistent/x.lst' (no such file)");
    }

    @Test
    void missingErrorfile_isAnError() {
        assertThat(errors("backend b\n errorfile 503 /nonexistent/503.http\n")).containsExactly(
                "bad.cfg:2: 'errorfile': cannot read file '/nonexistent/503.http' (no such file)");
    }

    @Test
    void duplicateProxyNames_areErrors() {
        assertThat(error("frontend a\nfrontend a\n")).isEqualTo(
                "bad.cfg:2: frontend 'a' has the same name as frontend 'a' at line 1 (proxy names must be unique)");
        assertThat(error("backend a\nlisten a\n")).isEqualTo(
                "bad.cfg:2: listen 'a' has the same name as backend 'a' at line 1 (proxy names must be unique)");
        assertThat(ConfigParser.parse("frontend a\nbackend a\n", "ok.cfg", null).errors()).isEmpty();
        assertThat(error("backend b\n server s 1.1.1.1:80\n server s 1.1.1.2:80\n")).isEqualTo("bad.cfg:3: 'server s': "
                + "backend 'b' already has a server of that name at line 2 (names must be unique)");
    }

    @Test
    void portsOutOfRange_andBadAddresses() {
        assertThat(error("frontend f\n bind :0\n")).isEqualTo("bad.cfg:2: 'bind': port 0 out of range (expected 1-65535)");
        assertThat(error("frontend f\n bind 127.0.0.1\n")).isEqualTo(
                "bad.cfg:2: 'bind': missing port in '127.0.0.1' (expected [ADDRESS]:PORT)");
        assertThat(error("backend b\n server s app\n")).isEqualTo(
                "bad.cfg:2: 'server s': invalid address 'app' (expected HOST:PORT with a port 1-65535)");
        assertThat(error("backend b\n server s a:1 weight 300\n")).isEqualTo(
                "bad.cfg:2: 'server s weight': invalid value '300' (expected an integer 0-256)");
        assertThat(error("backend b\n server s a:1 ssl verify none ciphers HIGH\n")).startsWith(
                "bad.cfg:2: 'server s': unknown or unsupported option 'ciphers'");
    }

    @Test
    void modeMismatch_httpFrontendToTcpBackend_isAnError() {
        assertThat(error("frontend f\n default_backend t\nbackend t\n mode tcp\n")).isEqualTo("bad.cfg:2: "
                + "'default_backend': backend 't' is in mode tcp but frontend 'f' is in mode http (expected the same mode)");
    }

    @Test
    void badActions_andConditions() {
        assertThat(error("frontend f\n http-request tarpit\n")).startsWith(
                "bad.cfg:2: unknown or unsupported action 'http-request tarpit' (expected one of: ");
        assertThat(error("frontend f\n http-request redirect scheme https code 305\n")).isEqualTo(
                "bad.cfg:2: 'http-request redirect code': invalid value '305' (expected 301, 302, 303, 307 or 308)");
        assertThat(error("frontend f\n http-request set-header X %[src]\n")).isEqualTo("bad.cfg:2: "
                + "'http-request set-header': log-format expressions such as '%[src]' are not supported "
                + "(expected a literal value)");
        assertThat(error("frontend f\n use_backend b if\nbackend b\n")).isEqualTo(
                "bad.cfg:2: 'if': missing condition (expected ACL names or { ... })");
        assertThat(error("frontend f\n use_backend b if { path_beg /a\nbackend b\n")).isEqualTo(
                "bad.cfg:2: 'if': missing '}' (expected { FETCH [flags] PATTERN... })");
        assertThat(error("frontend f\n use_backend b when x\nbackend b\n")).isEqualTo(
                "bad.cfg:2: 'use_backend': unexpected 'when' (expected if or unless)");
        assertThat(error("backend b\n http-check expect status 2xx\n")).isEqualTo("bad.cfg:2: 'http-check expect "
                + "status': invalid status '2xx' (expected a code, a range like 200-399, or a comma-separated list)");
        assertThat(error("backend b\n balance weird\n")).startsWith("bad.cfg:2: 'balance': unknown algorithm 'weird'");
        assertThat(error("frontend f\n option nosuch\n")).startsWith("bad.cfg:2: unknown option 'nosuch'");
    }

    @Test
    void badQuotingAndUserlists() {
        assertThat(error("frontend f\n acl a path \"/x\n")).isEqualTo(
                "bad.cfg:2: unmatched quote \" (expected a closing \")");
        assertThat(error("userlist u\n user bob password $2y$10$abc\n")).isEqualTo("bad.cfg:2: 'user bob': unsupported "
                + "password hash (expected crypt $1$, $5$, $6$ or 13-character DES; use insecure-password for clear text)");
        assertThat(error("userlist u\nuserlist u\n")).isEqualTo(
                "bad.cfg:2: userlist 'u' is already defined at line 1 (names must be unique)");
    }

    @Test
    void environmentVariables_areRejectedRatherThanReadLiterally() {
        assertThat(error("frontend f\n bind :${PORT}\n")).isEqualTo("bad.cfg:2: environment variables such as "
                + "'${PORT}' are not supported (expected a literal value; single quotes keep '$' as is)");
        assertThat(error("frontend f\n http-request set-header X \"${V}\"\n")).startsWith(
                "bad.cfg:2: environment variables such as '${...}' are not supported");
        assertThat(ConfigParser.parse("frontend f\n http-request set-header X '${V}'\n", "ok.cfg", null).errors())
                .isEmpty();
        assertThat(ConfigParser.parse("frontend f\n http-request set-header X \\${V}\n", "ok.cfg", null).errors())
                .isEmpty();
    }

    @Test
    void harmlessKeywords_areWarningsThatNameTheKeyword() {
        ParseResult r = ConfigParser.parse("defaults\n log global\n option httplog\n option dontlognull\n"
                + "frontend f\n option tcplog\n", "w.cfg", null);
        assertThat(r.errors()).isEmpty();
        assertThat(r.warnings()).extracting(ConfigMessage::toString).containsExactly(
                "w.cfg:2: 'log' is ignored by Sluice (access logging is configured by Sluice)",
                "w.cfg:3: 'option httplog' is ignored by Sluice (it does not change routing)",
                "w.cfg:4: 'option dontlognull' is ignored by Sluice (it does not change routing)",
                "w.cfg:6: 'option tcplog' is ignored by Sluice (it does not change routing)");
    }

    @Test
    void unreadableFile_isReportedWithLineZero() {
        ParseResult r = ConfigParser.parse(Path.of("/nonexistent/sluice.cfg"));
        assertThat(r.errors()).extracting(ConfigMessage::toString)
                .containsExactly("/nonexistent/sluice.cfg:0: cannot read configuration file (no such file)");
    }
}
