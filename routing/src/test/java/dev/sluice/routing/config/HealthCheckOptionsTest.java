package dev.sluice.routing.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.routing.Configs;
import dev.sluice.routing.config.HealthCheckConfig.Observe;
import dev.sluice.routing.config.HealthCheckConfig.OnError;
import org.junit.jupiter.api.Test;

class HealthCheckOptionsTest {

    @Test
    void passiveOptions_areRealServerOptionsWithHaproxyDefaults() {
        ProxyConfig c = Configs.parse("backend b\n server s1 a:80 check observe layer7 error-limit 3 on-error mark-down\n"
                + " server s2 a:81 check\n");
        HealthCheckConfig s1 = c.backend("b").servers().get(0).check();
        assertThat(s1.observe()).isEqualTo(Observe.LAYER7);
        assertThat(s1.errorLimit()).isEqualTo(3);
        assertThat(s1.onError()).isEqualTo(OnError.MARK_DOWN);
        HealthCheckConfig s2 = c.backend("b").servers().get(1).check();
        assertThat(s2.observe()).isEqualTo(Observe.NONE);
        assertThat(s2.errorLimit()).isEqualTo(10);
        assertThat(s2.onError()).isEqualTo(OnError.FAIL_CHECK);
        assertThat(ConfigRenderer.render(c)).contains("observe layer7 error-limit 3 on-error mark-down");
        assertThat(Configs.parse(ConfigRenderer.render(c))).isEqualTo(c);
    }

    @Test
    void badPassiveValues_sayWhatWasExpected() {
        assertThat(ConfigParser.parse("backend b\n server s a:80 observe layer5\n", "t.cfg", null).errors().toString())
                .contains("expected none, layer4 or layer7");
        assertThat(ConfigParser.parse("backend b\n server s a:80 on-error reboot\n", "t.cfg", null).errors().toString())
                .contains("expected fastinter, fail-check, sudden-death or mark-down");
    }

    @Test
    void httpCheckExpect_readsEveryFormAndNegation() {
        assertThat(expect("string OK")).isEqualTo(new HttpCheckExpect(false, HttpCheckExpect.Kind.STRING, "OK"));
        assertThat(expect("! rstatus ^5")).isEqualTo(new HttpCheckExpect(true, HttpCheckExpect.Kind.RSTATUS, "^5"));
        assertThat(expect("rstring \"up|ready\"")).isEqualTo(
                new HttpCheckExpect(false, HttpCheckExpect.Kind.RSTRING, "up|ready"));
        assertThat(expect("status 200,204")).isEqualTo(new HttpCheckExpect(false, HttpCheckExpect.Kind.STATUS, "200,204"));
        assertThatThrownBy(() -> HttpCheckExpect.parse(java.util.List.of("rstring", "(["))).hasMessageContaining("invalid regex");
        assertThatThrownBy(() -> HttpCheckExpect.parse(java.util.List.of("header", "X"))).hasMessageContaining("expected status, rstatus, string or rstring");
        String cfg = "backend b\n option httpchk GET /h\n http-check expect ! rstatus ^5\n";
        ProxyConfig c = Configs.parse(cfg);
        assertThat(Configs.parse(ConfigRenderer.render(c))).isEqualTo(c);
    }

    @Test
    void optionTcpCheck_meansConnectChecksAndReplacesHttpchk() {
        ProxyConfig c = Configs.parse("backend b\n option httpchk GET /h\n option tcp-check\n server s a:80 check\n");
        assertThat(c.backend("b").httpCheck()).isNull();
    }

    @Test
    void statusPatterns_matchCodesRangesAndLists() {
        assertThat(HttpCheckExpect.statusMatches("200-299,404", 204)).isTrue();
        assertThat(HttpCheckExpect.statusMatches("200-299,404", 404)).isTrue();
        assertThat(HttpCheckExpect.statusMatches("200-299,404", 500)).isFalse();
    }

    private static HttpCheckExpect expect(String words) {
        return Configs.parse("backend b\n option httpchk\n http-check expect " + words + "\n").backend("b").httpCheck().expect();
    }
}
