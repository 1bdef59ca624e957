package dev.sluice.routing.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.Bind;
import dev.sluice.routing.ConnectionMode;
import dev.sluice.routing.Configs;
import dev.sluice.routing.HttpAction.Redirect.Kind;
import dev.sluice.routing.Mode;
import dev.sluice.routing.Timeouts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigParserTest {

    @TempDir
    Path dir;

    @Test
    void global_readsMaxconnAndTuneSettingsAndWarnsOnIgnoredOnes() {
        ParseResult r = ConfigParser.parse("global\n  maxconn 4000\n  tune.bufsize 32768\n"
                + "  tune.http.maxhdr 64\n  daemon\n  log /dev/log local0\n  nbthread 4\n", "g.cfg", null);
        assertThat(r.errors()).isEmpty();
        assertThat(r.config().global().maxconn()).isEqualTo(4000);
        assertThat(r.config().global().bufsize()).isEqualTo(32768);
        assertThat(r.config().global().maxHeaders()).isEqualTo(64);
        assertThat(r.config().global().log()).as("a log line turns the access log on").isTrue();
        assertThat(r.warnings()).extracting(ConfigMessage::toString).containsExactly(
                "g.cfg:5: 'daemon' is ignored by Sluice (process and logging settings are Sluice's own)",
                "g.cfg:6: 'log /dev/log': Sluice writes its access log to standard output (or LOG_FILE), not to "
                        + "syslog; the line turns the access log on",
                "g.cfg:7: 'nbthread' is ignored by Sluice (process and logging settings are Sluice's own)");
    }

    @Test
    void bind_acceptsEveryAddressFormAndSslOptions() {
        ProxyConfig c = Configs.parse("frontend f\n bind *:80\n bind :81\n bind 0.0.0.0:82\n"
                + " bind 127.0.0.1:83\n bind [::]:84\n bind :443 ssl alpn h2,http/1.1 no-tls-tickets\n"
                + " bind :85,:86\n");
        FrontendConfig f = c.frontend("f");
        assertThat(f.bindAddresses()).containsExactly(new Bind(null, 80, false), new Bind(null, 81, false),
                new Bind("0.0.0.0", 82, false), new Bind("127.0.0.1", 83, false), new Bind("::", 84, false),
                f.binds().get(5).toBind(), new Bind(null, 85, false), new Bind(null, 86, false));
        assertThat(f.binds().get(5).options()).containsExactly("alpn", "h2,http/1.1", "no-tls-tickets");
        assertThat(f.binds().get(5).tls().alpn()).containsExactly("h2", "http/1.1");
        assertThat(f.binds().get(5).tls().noTlsTickets()).isTrue();
    }

    @Test
    void frontendWithoutBinds_parsesWithoutError() {
        ParseResult r = ConfigParser.parse("frontend services\n", "s.cfg", null);
        assertThat(r.errors()).isEmpty();
        assertThat(r.config().hasFrontend("services")).isTrue();
        assertThat(r.config().frontend("services").binds()).isEmpty();
    }

    @Test
    void timeouts_acceptEveryUnitAndDefaultToMilliseconds() {
        ProxyConfig c = Configs.parse("defaults\n timeout connect 5s\n timeout client 1m\n timeout server 250\n"
                + " timeout http-request 10s\n timeout http-keep-alive 2h\n timeout queue 1d\n"
                + " timeout tunnel 1500us\n timeout check 3s\nbackend b\n");
        assertThat(c.backend("b").settings().timeouts()).isEqualTo(
                new Timeouts(5000, 60_000, 250, 10_000, 7_200_000, 86_400_000, 2, 3000));
    }

    @Test
    void defaults_applyToTheSectionsAfterThemAndANewDefaultsResetsThem() {
        ProxyConfig c = Configs.parse("defaults\n mode tcp\n timeout client 7s\n retries 5\n option redispatch\n"
                + "backend a\n"
                + "defaults\n timeout server 9s\n"
                + "backend b\n retries 2\n");
        ProxySettings a = c.backend("a").settings();
        assertThat(a.mode()).isEqualTo(Mode.TCP);
        assertThat(a.timeouts().clientMs()).isEqualTo(7000);
        assertThat(a.retries()).isEqualTo(5);
        assertThat(a.redispatch()).isTrue();
        ProxySettings b = c.backend("b").settings();
        assertThat(b.mode()).isEqualTo(Mode.HTTP);
        assertThat(b.timeouts().clientMs()).isZero();
        assertThat(b.timeouts().serverMs()).isEqualTo(9000);
        assertThat(b.retries()).isEqualTo(2);
        assertThat(b.redispatch()).isFalse();
    }

    @Test
    void options_forwardforConnectionModesAndTheirNoForms() {
        ProxyConfig c = Configs.parse("defaults\n option forwardfor except 10.0.0.0/8 header X-Real-IP\n"
                + " option http-server-close\n"
                + "frontend a\nfrontend b\n option httpclose\n"
                + "frontend c\n option forceclose\n no option httpclose\n option forwardfor\n"
                + "backend d\n option redispatch\n no option redispatch\n");
        assertThat(c.frontend("a").settings().forwardFor()).isEqualTo(new ForwardForConfig("X-Real-IP", "10.0.0.0/8"));
        assertThat(c.frontend("a").settings().connectionMode()).isEqualTo(ConnectionMode.SERVER_CLOSE);
        assertThat(c.frontend("b").settings().forwardFor()).isEqualTo(c.frontend("a").settings().forwardFor());
        assertThat(c.frontend("b").settings().connectionMode()).isEqualTo(ConnectionMode.CLOSE);
        assertThat(c.frontend("c").settings().connectionMode()).isEqualTo(ConnectionMode.KEEP_ALIVE);
        assertThat(c.frontend("c").settings().forwardFor()).isEqualTo(new ForwardForConfig("X-Forwarded-For", null));
        assertThat(c.backend("d").settings().redispatch()).isFalse();
    }

    @Test
    void retries_defaultsToThreeAndMaxconnIsReadInFrontends() {
        ProxyConfig c = Configs.parse("frontend f\n maxconn 500\nbackend b\n");
        assertThat(c.backend("b").settings().retries()).isEqualTo(3);
        assertThat(c.frontend("f").settings().maxconn()).isEqualTo(500);
    }

    @Test
    void listen_isAFrontendAndABackendOfTheSameName() {
        ProxyConfig c = Configs.parse("listen web\n bind :8080\n balance leastconn\n server s1 10.0.0.1:80\n"
                + " acl api path_beg /api\n use_backend other if api\nbackend other\n");
        assertThat(c.frontend("web").defaultBackend()).isEqualTo("web");
        assertThat(c.frontend("web").useBackends()).hasSize(1);
        assertThat(c.frontend("web").acls()).hasSize(1);
        assertThat(c.backend("web").acls()).isEqualTo(c.frontend("web").acls());
        assertThat(c.backend("web").servers()).extracting(ServerConfig::name).containsExactly("s1");
        assertThat(c.backend("web").balance()).isEqualTo(new BalanceConfig("leastconn", null));
    }

    @Test
    void server_readsEveryOptionAndDefaultServer() {
        ProxyConfig c = Configs.parse("backend b\n default-server inter 3s rise 4\n"
                + " server s1 app.internal:8080 check inter 5s fastinter 1s downinter 10s rise 3 fall 2 weight 20 "
                + "backup disabled maxconn 100 port 9000 addr 10.0.0.9 cookie c1 slowstart 30s\n"
                + " server s2 [::1]:81\n");
        ServerConfig s1 = c.backend("b").servers().get(0);
        assertThat(s1).isEqualTo(new ServerConfig("s1", "app.internal", 8080, 20, true, true, 100, "c1",
                new HealthCheckConfig(true, 5000, 1000, 10_000, 3, 2, 9000, "10.0.0.9", 30_000)));
        ServerConfig s2 = c.backend("b").servers().get(1);
        assertThat(s2.host()).isEqualTo("::1");
        assertThat(s2.check()).isEqualTo(new HealthCheckConfig(false, 3000, 0, 0, 4, 3, 0, null, 0));
        assertThat(s2.weight()).isEqualTo(1);
    }

    @Test
    void httpChecks_areKeptForTheHealthModuleAndInheritedFromDefaults() {
        ProxyConfig c = Configs.parse("defaults\n option httpchk GET /health\n http-check expect status 200-299\n"
                + "backend a\nbackend b\n option httpchk HEAD /ping HTTP/1.1\nbackend c\n no option httpchk\n"
                + "backend d\n option httpchk\n");
        assertThat(c.backend("a").httpCheck()).isEqualTo(new HttpCheckConfig("GET", "/health", "HTTP/1.0", "200-299"));
        assertThat(c.backend("b").httpCheck()).isEqualTo(new HttpCheckConfig("HEAD", "/ping", "HTTP/1.1", "200-299"));
        assertThat(c.backend("c").httpCheck()).isNull();
        assertThat(c.backend("d").httpCheck()).isEqualTo(new HttpCheckConfig("OPTIONS", "/", "HTTP/1.0", "200-299"));
        assertThat(Configs.parse("backend e\n option httpchk /up\n").backend("e").httpCheck())
                .isEqualTo(new HttpCheckConfig("OPTIONS", "/up", "HTTP/1.0"));
    }

    @Test
    void balance_readsEveryAlgorithm() {
        for (String a : List.of("roundrobin", "static-rr", "leastconn", "source", "first", "uri", "random")) {
            assertThat(Configs.parse("backend b\n balance " + a + "\n").backend("b").balance().algorithm()).isEqualTo(a);
        }
        assertThat(Configs.parse("backend b\n balance hdr(X-User)\n").backend("b").balance())
                .isEqualTo(new BalanceConfig("hdr", "X-User"));
    }

    @Test
    void httpRequestAndResponseActions_areReadWithTheirConditions() {
        ProxyConfig c = Configs.parse("frontend f\n acl secure ssl_fc\n"
                + " http-request redirect scheme https code 301 unless secure\n"
                + " http-request redirect location /new\n"
                + " http-request redirect prefix https://a.com code 308 if { path_beg /old }\n"
                + " http-request set-header X-Proto https if secure\n"
                + " http-request add-header X-A \"a b\"\n"
                + " http-request del-header X-B\n"
                + " http-request replace-header Host (.*):80 \\1\n"
                + " http-request set-path /v2\n"
                + " http-request replace-path ^/api/(.*) /\\1\n"
                + " http-request deny deny_status 429 if { src 10.0.0.0/8 }\n"
                + " http-request deny\n"
                + " http-request auth realm Private\n"
                + " http-request auth\n"
                + " http-request return status 200 content-type text/plain string ok if { path /health }\n"
                + " http-response set-header X-Frame-Options DENY\n"
                + " http-response add-header X-C c\n"
                + " http-response del-header Server\n");
        List<ActionConfig> actions = c.frontend("f").requestRules().stream().map(HttpRuleConfig::action).toList();
        assertThat(actions).containsExactly(
                new ActionConfig.Redirect(Kind.SCHEME, "https", 301),
                new ActionConfig.Redirect(Kind.LOCATION, "/new", 302),
                new ActionConfig.Redirect(Kind.PREFIX, "https://a.com", 308),
                new ActionConfig.SetHeader("X-Proto", "https"),
                new ActionConfig.AddHeader("X-A", "a b"),
                new ActionConfig.DelHeader("X-B"),
                new ActionConfig.ReplaceHeader("Host", "(.*):80", "\\1"),
                new ActionConfig.SetPath("/v2"),
                new ActionConfig.ReplacePath("^/api/(.*)", "/\\1"),
                new ActionConfig.Deny(429),
                new ActionConfig.Deny(403),
                new ActionConfig.Auth("Private"),
                new ActionConfig.Auth("f"),
                new ActionConfig.Return(200, "text/plain", "ok"));
        assertThat(c.frontend("f").requestRules().get(0).condition()).isEqualTo(new ConditionConfig(true,
                List.of(List.of(new ConditionConfig.Term(false, "secure", null)))));
        assertThat(c.frontend("f").requestRules().get(1).condition()).isNull();
        assertThat(c.frontend("f").responseRules()).extracting(HttpRuleConfig::action).containsExactly(
                new ActionConfig.SetHeader("X-Frame-Options", "DENY"), new ActionConfig.AddHeader("X-C", "c"),
                new ActionConfig.DelHeader("Server"));
    }

    @Test
    void redirectKeyword_runsAfterEveryHttpRequestRuleAsInHaproxy() {
        ProxyConfig c = Configs.parse("frontend f\n acl api path_beg /api\n"
                + " redirect scheme https code 301 if !{ ssl_fc } api\n"
                + " http-request set-header X-A 1\n redirect prefix https://b.com\n");
        assertThat(c.frontend("f").requestRules()).extracting(HttpRuleConfig::action).containsExactly(
                new ActionConfig.SetHeader("X-A", "1"), new ActionConfig.Redirect(Kind.SCHEME, "https", 301),
                new ActionConfig.Redirect(Kind.PREFIX, "https://b.com", 302));
        assertThat(c.frontend("f").requestRules().get(1).condition().groups().get(0)).hasSize(2);
        assertThat(ConfigParser.parse(ConfigRenderer.render(c), "r.cfg", null).config()).isEqualTo(c);
    }

    @Test
    void errorfile_readsTheFileRelativeToTheConfigDirectory() throws Exception {
        Files.writeString(dir.resolve("503.http"), "HTTP/1.0 503 Busy\r\n\r\nbusy");
        Path cfg = dir.resolve("a.cfg");
        Files.writeString(cfg, "defaults\n errorfile 503 503.http\nbackend b\nfrontend f\n");
        ParseResult r = ConfigParser.parse(cfg);
        assertThat(r.errors()).isEmpty();
        ErrorFileConfig e = r.config().backend("b").settings().errorFiles().get(0);
        assertThat(e.status()).isEqualTo(503);
        assertThat(new String(e.content())).isEqualTo("HTTP/1.0 503 Busy\r\n\r\nbusy");
        assertThat(r.config().frontend("f").settings().errorFiles()).containsExactly(e);
    }

    @Test
    void userlist_readsUsersGroupsAndHashes() {
        ProxyConfig c = Configs.parse("userlist admins\n group ops users bob\n"
                + " user bob password $6$salt$abc groups ops\n user ann insecure-password s3cret\n");
        UserlistConfig u = c.userlist("admins");
        assertThat(u.users()).containsExactly(
                new UserlistConfig.User("bob", "$6$salt$abc", false, List.of("ops")),
                new UserlistConfig.User("ann", "s3cret", true, List.of()));
        assertThat(u.groups()).containsExactly(new UserlistConfig.Group("ops", List.of("bob")));
    }

    @Test
    void useBackendAndDefaultBackend_areKeptInOrder() {
        ProxyConfig c = Configs.parse("frontend f\n use_backend a if { path_beg /a }\n use_backend b\n"
                + " default_backend b\nbackend a\nbackend b\n");
        assertThat(c.frontend("f").useBackends()).extracting(UseBackendConfig::backend).containsExactly("a", "b");
        assertThat(c.frontend("f").useBackends().get(1).condition()).isNull();
        assertThat(c.frontend("f").defaultBackend()).isEqualTo("b");
    }

    @Test
    void quoting_followsHaproxyRules() {
        assertThat(Tokenizer.tokenize("a \"b c\" 'd e' f\\ g \"h\\\"i\" 'j\\k' # comment"))
                .containsExactly("a", "b c", "d e", "f g", "h\"i", "j\\k");
        assertThat(Tokenizer.tokenize("x\\#y \"\" z\\x41")).containsExactly("x#y", "", "zA");
        assertThat(Tokenizer.tokenize("   # only a comment")).isEmpty();
    }

    @Test
    void byteOrderMark_andCrLfLineEnds_areAccepted() {
        ParseResult r = ConfigParser.parse("\uFEFFfrontend f\r\n bind :80\r\n", "bom.cfg", null);
        assertThat(r.errors()).isEmpty();
        assertThat(r.config().frontend("f").bindAddresses()).containsExactly(new Bind(null, 80, false));
    }

    @Test
    void withBinds_replacesTheBindsOfOneFrontend() {
        ProxyConfig c = Configs.parse("frontend services\n bind :8000\nfrontend other\n bind :9000\n");
        ProxyConfig d = c.withBinds("services", List.of(new Bind(null, 80, false), new Bind(null, 443, true)));
        assertThat(d.frontend("services").bindAddresses())
                .containsExactly(new Bind(null, 80, false), new Bind(null, 443, true));
        assertThat(d.frontend("other")).isEqualTo(c.frontend("other"));
        assertThat(c.frontend("services").bindAddresses()).containsExactly(new Bind(null, 8000, false));
    }

    @Test
    void embeddedDefaultConfig_hasServicesWithoutBindsOrDefaultBackend() {
        ParseResult r = ConfigParser.parse(Path.of("../conf/sluice.cfg"));
        assertThat(r.errors()).isEmpty();
        FrontendConfig f = r.config().frontend("services");
        assertThat(f.binds()).isEmpty();
        assertThat(f.defaultBackend()).isNull();
        assertThat(f.settings().timeouts()).isEqualTo(new Timeouts(5000, 20_000, 20_000, 5_000, 15_000, 30_000,
                3_600_000, 0));
        assertThat(f.settings().forwardFor()).isNotNull();
        assertThat(r.config().global().maxconn()).isPositive();
    }

    @Test
    void monitorUri_isKeptAndRendered_andMustBeAPath() {
        ProxyConfig c = Configs.parse("frontend f\n bind :80\n monitor-uri /lb-health\n");
        assertThat(c.frontend("f").monitorUri()).isEqualTo("/lb-health");
        assertThat(ConfigRenderer.render(c)).contains("monitor-uri /lb-health");
        ParseResult bad = ConfigParser.parse("frontend f\n bind :80\n monitor-uri health\n", "m.cfg", null);
        assertThat(bad.errors()).singleElement().hasToString(
                "m.cfg:3: 'monitor-uri': 'health' (expected a path starting with '/')");
    }
}
