package dev.sluice.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.config.ProxyConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutingCompilerTest {

    private static final String CONFIG = "global\n maxconn 100\n tune.bufsize 4096\n tune.http.maxhdr 50\n"
            + "defaults\n timeout connect 3s\n timeout server 30s\n option forwardfor except 10.0.0.0/8\n"
            + "frontend web\n bind :80\n maxconn 50\n acl api path_beg /api\n use_backend api if api\n default_backend site\n"
            + "backend api\n balance leastconn\n retries 5\n option redispatch\n server a1 10.0.0.1:8080\n server a2 10.0.0.2:8080\n"
            + "backend site\n server s1 site:80 weight 3 backup maxconn 7\n";

    @Test
    void compile_buildsFrontendsBackendsServersAndLimits() {
        RoutingTable t = Configs.compile(CONFIG);
        assertThat(t.generation()).isEqualTo(1);
        assertThat(t.limits()).isEqualTo(new HttpLimits(4096, 4096, 50));
        Frontend web = t.frontend("web");
        assertThat(web.binds()).containsExactly(new Bind(null, 80, false));
        assertThat(web.maxconn()).isEqualTo(50);
        assertThat(web.select(TestRequest.get("/api/x")).name()).isEqualTo("api");
        assertThat(web.select(TestRequest.get("/")).name()).isEqualTo("site");
        Backend api = t.backend("api");
        assertThat(api.retries()).isEqualTo(5);
        assertThat(api.redispatch()).isTrue();
        assertThat(api.timeouts().connectMs()).isEqualTo(3000);
        assertThat(api.forwardFor().header()).isEqualTo("X-Forwarded-For");
        assertThat(api.forwardFor().appliesTo(TestRequest.address("10.1.1.1"))).isFalse();
        assertThat(api.forwardFor().appliesTo(TestRequest.address("192.168.1.1"))).isTrue();
        Server s1 = t.backend("site").servers().get(0);
        assertThat(s1.host()).isEqualTo("site");
        assertThat(s1.weight()).isEqualTo(3);
        assertThat(s1.backup()).isTrue();
        assertThat(s1.maxconn()).isEqualTo(7);
        assertThat(api.pick(TestRequest.get("/"), null)).isNotNull();
    }

    @Test
    void recompiling_carriesServerStateOverByIdentityAndIncrementsGeneration() {
        ProxyConfig config = Configs.parse(CONFIG);
        RoutingTable first = RoutingCompiler.compile(config, null);
        ServerState a1 = first.backend("api").servers().get(0).state();
        a1.setUp(false);
        a1.acquire();
        ProxyConfig changed = Configs.parse(CONFIG.replace("server a2 10.0.0.2:8080", "server a3 10.0.0.3:8080"));
        RoutingTable second = RoutingCompiler.compile(changed, first);
        assertThat(second.generation()).isEqualTo(2);
        assertThat(second.backend("api").servers().get(0).state()).isSameAs(a1);
        assertThat(second.backend("api").servers().get(1).state())
                .isNotSameAs(first.backend("api").servers().get(1).state());
        assertThat(second.backend("site").servers().get(0).state())
                .isSameAs(first.backend("site").servers().get(0).state());
        assertThat(RoutingCompiler.compile(changed, second).generation()).isEqualTo(3);
    }

    @Test
    void recompilingWithThePreviousConfig_takesOverTheBackendsWhoseConfigIsTheSameObject() {
        ProxyConfig before = Configs.parse(CONFIG);
        RoutingTable first = RoutingCompiler.compile(before, null);
        // the registry's way: the unchanged backend keeps its configuration object, one is replaced
        ProxyConfig changed = Configs.parse(CONFIG.replace("server a2 10.0.0.2:8080", "server a3 10.0.0.3:8080"));
        ProxyConfig after = new ProxyConfig(before.global(), changed.frontends(),
                List.of(changed.backend("api"), before.backend("site")), before.userlists(), before.resolvers());
        RoutingTable second = RoutingCompiler.compile(after, before, first);
        assertThat(second.backend("site")).isSameAs(first.backend("site"));
        assertThat(second.backend("api")).isNotSameAs(first.backend("api"));
        assertThat(second.backend("api").servers().get(0).state()).isSameAs(first.backend("api").servers().get(0).state());
        assertThat(second.backend("api").servers().get(1).name()).isEqualTo("a3");
        assertThat(second.frontend("web").select(TestRequest.get("/")).name()).isEqualTo("site");
        assertThat(second.frontend("web").select(TestRequest.get("/")).servers().get(0).state())
                .isSameAs(first.backend("site").servers().get(0).state());
        assertThat(second.generation()).isEqualTo(2);

        // an equal but rebuilt configuration, or other global settings: compiled again
        assertThat(RoutingCompiler.compile(Configs.parse(CONFIG), before, first).backend("site"))
                .isNotSameAs(first.backend("site"));
        ProxyConfig otherGlobal = Configs.parse(CONFIG.replace("tune.bufsize 4096", "tune.bufsize 8192"));
        ProxyConfig sameBackends = new ProxyConfig(otherGlobal.global(), before.frontends(), before.backends(),
                before.userlists(), before.resolvers());
        assertThat(RoutingCompiler.compile(sameBackends, before, first).backend("site")).isNotSameAs(first.backend("site"));
    }

    @Test
    void aListensBackendHalf_isCompiledAgainWithItsFrontendHalf() {
        ProxyConfig before = Configs.parse("listen both\n bind :80\n http-request set-header X-A 1\n server s 10.0.0.1:80\n");
        RoutingTable first = RoutingCompiler.compile(before, null);
        RoutingTable second = RoutingCompiler.compile(before, before, first);
        assertThat(second.backend("both")).isNotSameAs(first.backend("both"));
        assertThat(second.frontend("both").sharesRulesWith(second.backend("both"))).isTrue();
    }

    @Test
    void serverStateIsNotSharedAcrossBackendsWithTheSameServerName() {
        RoutingTable t = Configs.compile("backend a\n server s 1.1.1.1:1\nbackend b\n server s 1.1.1.1:1\n");
        RoutingTable u = RoutingCompiler.compile(Configs.parse("backend b\n server s 1.1.1.1:1\n"), t);
        assertThat(u.backend("b").servers().get(0).state()).isSameAs(t.backend("b").servers().get(0).state());
        assertThat(t.backend("a").servers().get(0).state()).isNotSameAs(t.backend("b").servers().get(0).state());
    }

    @Test
    void hash_isEqualForEqualConfigsAndDiffersOtherwise() {
        RoutingTable a = Configs.compile(CONFIG);
        RoutingTable b = Configs.compile("# same config, other layout\n" + CONFIG.replace("\n ", "\n    "));
        RoutingTable c = Configs.compile(CONFIG.replace("retries 5", "retries 4"));
        assertThat(a.hash()).hasSize(16).matches("[0-9a-f]{16}");
        assertThat(b.hash()).isEqualTo(a.hash());
        assertThat(c.hash()).isNotEqualTo(a.hash());
    }

    @Test
    void httpRules_andErrorPages_areCompiled(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("403.http"), "HTTP/1.0 403 Forbidden\r\n\r\nno");
        ProxyConfig c = Configs.parse("userlist ops\n user ann insecure-password pw\n"
                + "frontend f\n errorfile 403 403.http\n acl ok http_auth(ops)\n"
                + " http-request auth realm Ops unless ok\n http-request set-header X-A 1 if { path_beg /a }\n"
                + " http-request replace-path ^/old/(.*) /new/\\1\n http-response del-header Server\n", dir);
        Frontend f = RoutingCompiler.compile(c, null).frontend("f");
        List<HttpRule> rules = f.requestRules();
        assertThat(rules.get(0).action()).isEqualTo(new HttpAction.Auth("Ops"));
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString("ann:pw".getBytes());
        assertThat(rules.get(0).condition().test(TestRequest.get("/"))).isTrue();
        assertThat(rules.get(0).condition().test(TestRequest.get("/").header("Authorization", basic))).isFalse();
        assertThat(rules.get(1).condition().test(TestRequest.get("/a"))).isTrue();
        assertThat(rules.get(1).condition().test(TestRequest.get("/b"))).isFalse();
        HttpAction.ReplacePath rp = (HttpAction.ReplacePath) rules.get(2).action();
        assertThat(rp.regex().matcher("/old/x").replaceAll(rp.replacement().replace("\\1", "$1"))).isEqualTo("/new/x");
        assertThat(f.responseRules()).hasSize(1);
        assertThat(new String(f.errorPages().get(403))).endsWith("no");
        assertThat(f.errorPages().get(503)).isNull();
    }

    @Test
    void listenRules_runOnceForItsOwnTrafficAndAsBackendRulesForOtherFrontends() {
        RoutingTable t = Configs.compile("listen admin\n bind :8081\n http-request deny if { path_beg /private }\n"
                + " server s 10.0.0.2:80\nfrontend f\n bind :80\n http-request set-header X-F 1\n"
                + " default_backend admin\n");
        Backend admin = t.backend("admin");
        assertThat(admin.requestRules()).hasSize(1);
        assertThat(t.frontend("admin").sharesRulesWith(admin)).isTrue();
        assertThat(t.frontend("f").sharesRulesWith(admin)).isFalse();
        assertThat(t.frontend("f").select(TestRequest.get("/private"))).isSameAs(admin);
    }

    @Test
    void frontendWithoutRulesOrDefault_selectsNothing() {
        RoutingTable t = RoutingCompiler.compile(Configs.parse("frontend services\n"), null);
        assertThat(t.frontend("services").select(TestRequest.get("/"))).isNull();
    }
}
