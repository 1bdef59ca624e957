package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.routing.Bind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

class SettingsTest {

    @TempDir
    Path secrets;

    private Settings settings(Map<String, String> variables, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "run";
        System.arraycopy(args, 0, all, 1, args.length);
        return Settings.from(new Environment(variables, CommandLine.parse(all).flags(), secrets));
    }

    @Test
    void defaults_areDockerFlowProxysImageDefaults() {
        Settings s = settings(Map.of());

        assertThat(s.servicesBinds()).containsExactly(new Bind(null, 80, false), new Bind(null, 443, true));
        assertThat(s.portsFromEnvironment()).isFalse();
        assertThat(s.adminBind()).isEqualTo("0.0.0.0");
        assertThat(s.adminPort()).isEqualTo(8080);
        assertThat(s.adminCredentials()).isNull();
        assertThat(s.stateDir()).isEqualTo(Path.of("sluice-state"));
        assertThat(s.services()).isEqualTo(new ServiceEnvironment(",", "hdr_beg(host)", "http", false, null, false));
        assertThat(s.embedded().timeouts()).isEqualTo(new DefaultTimeouts(5, 20, 20, 30, 3600, 5, 15));
        assertThat(s.embedded().connectionMode()).isEqualTo("http-keep-alive");
        assertThat(s.embedded().extraGlobal()).isEmpty();
        assertThat(s.embedded().extraFrontend()).isEmpty();
    }

    @Test
    void everyVariable_isRead() {
        Map<String, String> env = Map.ofEntries(
                Map.entry("STATE_DIR", "/var/lib/sluice"), Map.entry("SEPARATOR", ";"),
                Map.entry("SERVICE_DOMAIN_ALGO", "hdr_dom(host)"), Map.entry("DEFAULT_REQ_MODE", "tcp"),
                Map.entry("HTTPS_ONLY", "true"), Map.entry("USERS", "alice:pw"),
                Map.entry("USERS_PASS_ENCRYPTED", "1"), Map.entry("ADMIN_USER", "admin"),
                Map.entry("ADMIN_PASS", "secret"), Map.entry("CONNECTION_MODE", "http-server-close"),
                Map.entry("TIMEOUT_CONNECT", "1"), Map.entry("TIMEOUT_CLIENT", "2"), Map.entry("TIMEOUT_SERVER", "3"),
                Map.entry("TIMEOUT_QUEUE", "4"), Map.entry("TIMEOUT_TUNNEL", "5"),
                Map.entry("TIMEOUT_HTTP_REQUEST", "6"), Map.entry("TIMEOUT_HTTP_KEEP_ALIVE", "7"),
                Map.entry("EXTRA_GLOBAL", "maxconn 5,tune.bufsize 32768"),
                Map.entry("EXTRA_FRONTEND", "http-request deny if { path_beg /private }"));

        Settings s = settings(env);

        assertThat(s.stateDir()).isEqualTo(Path.of("/var/lib/sluice"));
        assertThat(s.services()).isEqualTo(new ServiceEnvironment(";", "hdr_dom(host)", "tcp", true, "alice:pw", true));
        assertThat(s.adminCredentials()).isEqualTo(new AdminCredentials("admin", "secret"));
        assertThat(s.embedded().connectionMode()).isEqualTo("http-server-close");
        assertThat(s.embedded().timeouts()).isEqualTo(new DefaultTimeouts(1, 2, 3, 4, 5, 6, 7));
        assertThat(s.embedded().extraGlobal()).containsExactly("maxconn 5", "tune.bufsize 32768");
        assertThat(s.embedded().extraFrontend()).containsExactly("http-request deny if { path_beg /private }");
    }

    @Test
    void flags_winOverVariables() {
        Settings s = settings(Map.of("TIMEOUT_SERVER", "30", "HTTPS_ONLY", "false"),
                "--timeout-server", "60", "--https-only=true", "--state-dir", "/tmp/x");

        assertThat(s.embedded().timeouts().server()).isEqualTo(60);
        assertThat(s.services().httpsOnly()).isTrue();
        assertThat(s.stateDir()).isEqualTo(Path.of("/tmp/x"));
    }

    @Test
    void users_andAdminPass_comeFromSecrets() throws Exception {
        Files.writeString(secrets.resolve("dfp_users"), "bob:builder\n");
        Files.writeString(secrets.resolve("dfp_admin_pass"), "s3cret\n");

        Settings s = settings(Map.of("USERS", "alice:pw", "ADMIN_USER", "admin"));

        assertThat(s.services().users()).isEqualTo("bob:builder");
        assertThat(s.adminCredentials()).isEqualTo(new AdminCredentials("admin", "s3cret"));
    }

    @Test
    void toString_hidesPasswords() {
        Settings s = settings(Map.of("USERS", "alice:wonderland", "ADMIN_USER", "admin", "ADMIN_PASS", "s3cret"));

        assertThat(s.toString()).contains("admin").doesNotContain("wonderland", "s3cret");
    }

    @Test
    void adminUserWithoutPass_isAnError() {
        assertThatThrownBy(() -> settings(Map.of("ADMIN_USER", "admin")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ADMIN_USER is set but ADMIN_PASS is not (expected both ADMIN_USER and ADMIN_PASS, or neither)");
        assertThatThrownBy(() -> settings(Map.of("ADMIN_PASS", "pw")))
                .hasMessageStartingWith("ADMIN_PASS is set but ADMIN_USER is not");
    }

    @Test
    void badValues_nameTheVariableAndWhatWasExpected() {
        assertThatThrownBy(() -> settings(Map.of("SERVICE_DOMAIN_ALGO", "hdr(Host)")))
                .hasMessage("SERVICE_DOMAIN_ALGO: 'hdr(Host)' (expected one of: hdr(host), hdr_beg(host), "
                        + "hdr_end(host), hdr_dom(host), hdr_reg(host), hdr_sub(host), req.ssl_sni)");
        assertThatThrownBy(() -> settings(Map.of("DEFAULT_REQ_MODE", "udp")))
                .hasMessageStartingWith("DEFAULT_REQ_MODE: 'udp' (expected one of: http, tcp, sni");
        assertThatThrownBy(() -> settings(Map.of("HTTPS_ONLY", "yes")))
                .hasMessage("HTTPS_ONLY: 'yes' (expected true or false)");
        assertThatThrownBy(() -> settings(Map.of("USERS_PASS_ENCRYPTED", "maybe")))
                .hasMessage("USERS_PASS_ENCRYPTED: 'maybe' (expected true or false)");
        assertThatThrownBy(() -> settings(Map.of("CONNECTION_MODE", "http-tunnel")))
                .hasMessage("CONNECTION_MODE: 'http-tunnel' (expected one of: http-keep-alive, http-server-close, "
                        + "httpclose, forceclose)");
        assertThatThrownBy(() -> settings(Map.of("TIMEOUT_CLIENT", "20s")))
                .hasMessage("TIMEOUT_CLIENT: '20s' (expected whole seconds 0-2147483)");
        assertThatThrownBy(() -> settings(Map.of("TIMEOUT_TUNNEL", "99999999")))
                .hasMessageStartingWith("TIMEOUT_TUNNEL: '99999999'");
        assertThatThrownBy(() -> settings(Map.of("ADMIN_PORT", "0")))
                .hasMessage("ADMIN_PORT: '0' (expected a port 1-65535)");
    }

    @Test
    void everyVariable_hasAFlag() {
        assertThat(Settings.FLAGS).hasSameSizeAs(Settings.VARIABLES)
                .contains("timeout-http-keep-alive", "extra-frontend", "state-dir", "secrets-dir", "admin-pass");
        for (String flag : Settings.FLAGS) {
            assertThat(CommandLine.parse(new String[] {"run", "--" + flag, "x"}).flags()).containsKey(flag);
        }
    }

    @Test
    void theUsage_namesEveryFlag() {
        for (String flag : Settings.FLAGS) {
            assertThat(CommandLine.USAGE).as("--help").contains("--" + flag);
        }
    }

    @Test
    void extraLines_splitAtCommasAndNewlines() {
        assertThat(EmbeddedOverrides.lines("a b, c d\ne f,,")).isEqualTo(List.of("a b", "c d", "e f"));
    }
}
