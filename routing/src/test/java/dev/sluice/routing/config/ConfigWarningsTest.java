package dev.sluice.routing.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigWarningsTest {

    private static List<String> warnings(String text, Path dir) {
        ParseResult r = ConfigParser.parse(text, "w.cfg", dir);
        assertThat(r.errors()).isEmpty();
        return r.warnings().stream().map(ConfigMessage::toString).toList();
    }

    @Test
    void bindOptionsBesidesSsl_areKeptWithAWarning() {
        assertThat(warnings("frontend f\n bind :443 ssl alpn h2 backlog 10 accept-proxy\n", null)).containsExactly(
                "w.cfg:2: 'bind' options [backlog, accept-proxy] are kept but not applied by Sluice");
        assertThat(warnings("frontend f\n bind :443 ssl\n", null)).isEmpty();
    }

    @Test
    void unsupportedSections_areSkippedWithOneWarning() {
        ParseResult r = ConfigParser.parse("peers mypeers\n peer a 10.0.0.1:1024\n"
                + "resolvers docker\n nameserver dns 127.0.0.11:53\n hold valid 10s\n"
                + "backend b\n server s app:80 resolvers docker init-addr none\n", "w.cfg", null);
        assertThat(r.errors()).isEmpty();
        assertThat(r.warnings()).extracting(ConfigMessage::toString).containsExactly(
                "w.cfg:1: 'peers' is ignored by Sluice (section not supported; its lines are skipped)",
                "w.cfg:7: 'server s init-addr' is ignored by Sluice (servers are resolved and checked by Sluice)");
        assertThat(r.config().backend("b").servers().get(0).host()).isEqualTo("app");
    }

    @Test
    void defaultServerWarnings_areNotRepeatedForEveryServer() {
        assertThat(warnings("backend b\n default-server init-addr none\n server a a:1\n server b b:1\n", null))
                .containsExactly("w.cfg:2: 'default-server init-addr' is ignored by Sluice "
                                 + "(servers are resolved and checked by Sluice)");
    }

    @Test
    void backendOnlyKeywordsInAFrontend_areIgnoredWithAWarning() {
        assertThat(warnings("frontend f\n retries 4\nbackend b\n maxconn 10\n", null)).containsExactly(
                "w.cfg:2: 'retries' is ignored in frontend 'f' (no backend capability)",
                "w.cfg:4: 'maxconn' is ignored in backend 'b' (no frontend capability)");
    }

    @Test
    void keywordsOfTheOtherCapability_areIgnoredWithAWarningAsInHaproxy() {
        assertThat(warnings("frontend f\n balance source\n option redispatch\nbackend b\n bind :80\n"
                + " default_backend b\n use_backend b\n", null)).containsExactly(
                "w.cfg:2: 'balance' is ignored in frontend 'f' (no backend capability)",
                "w.cfg:3: 'option redispatch' is ignored in frontend 'f' (no backend capability)",
                "w.cfg:5: 'bind' is ignored in backend 'b' (no frontend capability)",
                "w.cfg:6: 'default_backend' is ignored in backend 'b' (no frontend capability)",
                "w.cfg:7: 'use_backend' is ignored in backend 'b' (no frontend capability)");
    }

    @Test
    void forceclose_isReadAsHttpcloseWithAWarning() {
        ParseResult r = ConfigParser.parse("frontend f\n option forceclose\n", "w.cfg", null);
        assertThat(r.config().frontend("f").settings().connectionMode()).isEqualTo(dev.sluice.routing.ConnectionMode.CLOSE);
        assertThat(r.warnings()).extracting(ConfigMessage::toString).containsExactly("w.cfg:2: 'option forceclose' is "
                + "read as 'option httpclose' (HAProxy 2.0 and later reject it; expected option httpclose)");
    }

    @Test
    void sniRoutingPreamble_isAppliedInModeTcp_ignoredInModeHttp_andOtherTcpRequestRulesAreErrors() {
        String text = "frontend tls\n mode tcp\n bind :443\n tcp-request inspect-delay 5s\n"
                + " tcp-request content accept if { req_ssl_hello_type 1 }\n"
                + " use_backend a if { req_ssl_sni -i a.example.com }\n backend a\n mode tcp\n";
        assertThat(warnings(text, null)).isEmpty();
        String http = "frontend web\n bind :443\n tcp-request inspect-delay 5s\n"
                + " tcp-request content accept if { req_ssl_hello_type 1 }\n default_backend a\nbackend a\n";
        assertThat(warnings(http, null)).containsExactly(
                "w.cfg:4: 'tcp-request content accept' is ignored by Sluice (in mode http, TLS is terminated "
                + "before routing)",
                "w.cfg:3: 'tcp-request inspect-delay' is ignored by Sluice (in mode http, TLS is terminated "
                + "before routing)");
        ParseResult bad = ConfigParser.parse("frontend f\n tcp-request connection reject if { src 10.0.0.1 }\n",
                "w.cfg", null);
        assertThat(bad.errors()).extracting(ConfigMessage::toString).containsExactly("w.cfg:2: unsupported "
                + "tcp-request rule 'connection reject if { src 10.0.0.1 }' (expected 'tcp-request inspect-delay "
                + "TIME' or 'tcp-request content accept|reject [if|unless CONDITION]')");
        ParseResult httpReject = ConfigParser.parse("frontend f\n tcp-request content reject if { src 10.0.0.1 }\n",
                "w.cfg", null);
        assertThat(httpReject.errors()).extracting(ConfigMessage::toString).containsExactly("w.cfg:2: "
                + "'tcp-request content': frontend 'f' is in mode http (expected tcp-request content rules in a "
                + "mode tcp frontend; use http-request rules here)");
    }

    @Test
    void httpCheckFormsOtherThanExpect_areWarnings() {
        assertThat(warnings("backend b\n option httpchk\n http-check send meth GET uri /x\n", null)).containsExactly(
                "w.cfg:3: 'http-check send' is ignored by Sluice (only 'http-check expect' is supported; "
                + "checks send the 'option httpchk' request)");
    }

    @Test
    void stats_isIgnoredWithTheReason_andCookieIsNoLongerAWarning() {
        assertThat(warnings("backend b\n cookie SRV insert indirect\n stats enable\n", null)).containsExactly(
                "w.cfg:3: 'stats' is ignored by Sluice (the stats page is served by the admin API)");
    }

    @Test
    void httpRulesInTcpMode_neverRunAndSayWhy() {
        assertThat(warnings("frontend f\n mode tcp\n http-request deny\n", null)).containsExactly(
                "w.cfg:1: frontend 'f' is in mode tcp: its http-request/http-response rules never run");
    }

    @Test
    void errorfileForAStatusHaproxyDoesNotCustomize_isIgnored(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("e.http"), "HTTP/1.0 418 x\r\n\r\n");
        ParseResult r = ConfigParser.parse("backend b\n errorfile 418 e.http\n", "w.cfg", dir);
        assertThat(r.errors()).isEmpty();
        assertThat(r.warnings()).hasSize(1);
        assertThat(r.warnings().get(0).toString()).startsWith(
                "w.cfg:2: 'errorfile': status 418 cannot be customized; the file is ignored");
        assertThat(r.config().backend("b").settings().errorFiles()).isEmpty();
    }

    @Test
    void redactedRendering_hidesPasswordsAndHashes() {
        ProxyConfig c = ConfigParser.parse("userlist u\n user a insecure-password topsecret\n"
                + " user b password $6$salt$hashvalue\n", "w.cfg", null).config();
        String shown = ConfigRenderer.renderRedacted(c);
        assertThat(shown).doesNotContain("topsecret").doesNotContain("hashvalue").contains("<redacted>");
        assertThat(ConfigRenderer.render(c)).contains("topsecret");
    }
}
