package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.config.ConfigRenderer;
import dev.sluice.routing.config.ParseResult;
import dev.sluice.routing.config.ProxyConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The embedded configuration takes TIMEOUT_*, CONNECTION_MODE and EXTRA_*; a file keeps its own values. */
class ConfigSourceTest {

    @TempDir
    Path dir;

    private Settings settings(Map<String, String> variables) {
        return Settings.from(new Environment(variables, Map.of(), dir.resolve("no-secrets")));
    }

    private ParseResult embedded(Map<String, String> variables) {
        return ConfigSource.load(null, settings(variables));
    }

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void embedded_withoutVariables_hasDockerFlowProxysTimeouts() {
        ParseResult result = embedded(Map.of());

        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).isEmpty();
        ProxyConfig config = result.config();
        String rendered = ConfigRenderer.render(config);
        assertThat(rendered).contains("timeout connect 5s", "timeout client 20s", "timeout server 20s",
                "timeout queue 30s", "timeout http-request 5s", "timeout http-keep-alive 15s");
        assertThat(rendered).containsPattern("timeout tunnel (3600s|1h|60m)");
    }

    @Test
    void embedded_takesTimeoutsAndConnectionModeFromTheEnvironment() {
        ParseResult result = embedded(Map.of("TIMEOUT_SERVER", "45", "TIMEOUT_HTTP_REQUEST", "9",
                "CONNECTION_MODE", "http-server-close"));

        assertThat(result.errors()).isEmpty();
        String rendered = ConfigRenderer.render(result.config());
        assertThat(rendered).contains("timeout server 45s", "timeout http-request 9s", "timeout connect 5s",
                "option http-server-close");
        assertThat(rendered).doesNotContain("timeout server 20s");
    }

    @Test
    void embedded_forceclose_isReadAsHttpcloseWithAWarningNamingTheVariable() {
        ParseResult result = embedded(Map.of("CONNECTION_MODE", "forceclose"));

        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).singleElement().satisfies(w -> assertThat(w.file()).isEqualTo("CONNECTION_MODE"));
        assertThat(ConfigRenderer.render(result.config())).contains("option httpclose");
    }

    @Test
    void embedded_extraLines_goToGlobalAndToFrontendServices() {
        ParseResult result = embedded(Map.of("EXTRA_GLOBAL", "tune.bufsize 32768",
                "EXTRA_FRONTEND", "acl private path_beg /private,http-request deny if private"));

        assertThat(result.errors()).isEmpty();
        String rendered = ConfigRenderer.render(result.config());
        assertThat(rendered).contains("tune.bufsize 32768");
        String frontend = rendered.substring(rendered.indexOf("frontend services"));
        assertThat(frontend).contains("acl private path_beg /private", "http-request deny deny_status 403 if private");
    }

    @Test
    void embedded_aBadExtraLine_isAnErrorNamingTheVariableAndItsLine() {
        ParseResult result = embedded(Map.of("EXTRA_FRONTEND", "acl ok path_beg /ok,bogus keyword"));

        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.file()).isEqualTo("EXTRA_FRONTEND");
            assertThat(e.line()).isEqualTo(2);
            assertThat(e.toString()).startsWith("EXTRA_FRONTEND:2: ").contains("bogus");
        });
    }

    @Test
    void embedded_errorsInTheFileKeepTheirOwnLineNumbers() {
        ConfigSource.Text text = ConfigSource.apply("global\n    maxconn 10\ndefaults\n    mode http\n"
                        + "    timeout connect 1s\nfrontend services\n    bogus\n",
                settings(Map.of("EXTRA_GLOBAL", "a,b")).embedded());

        assertThat(text.lines).contains("    a", "    b", "    timeout connect 5s", "    option http-keep-alive")
                .doesNotContain("    timeout connect 1s");
        ParseResult parsed = dev.sluice.routing.config.ConfigParser.parse(String.join("\n", text.lines), "x", dir);
        assertThat(text.remap(parsed.errors())).extracting(Object::toString).contains(
                "EXTRA_GLOBAL:1: " + parsed.errors().get(0).message(),
                ConfigSource.EMBEDDED_NAME + ":7: " + parsed.errors().get(2).message());
    }

    @Test
    void file_keepsItsOwnTimeouts() throws Exception {
        Path file = Files.writeString(dir.resolve("my.cfg"), """
                defaults
                    mode http
                    timeout server 7s
                    option httpclose
                frontend services
                    bind :8000
                """);

        ParseResult result = ConfigSource.load(file.toString(), settings(Map.of("TIMEOUT_SERVER", "45",
                "CONNECTION_MODE", "http-keep-alive", "EXTRA_FRONTEND", "bogus")));

        assertThat(result.errors()).isEmpty();
        assertThat(ConfigRenderer.render(result.config())).contains("timeout server 7s", "option httpclose")
                .doesNotContain("45s", "http-keep-alive", "bogus");
    }

    @Test
    void render_showsTheEnvironment() {
        Outcome o = run(Map.of("TIMEOUT_CLIENT", "33", "EXTRA_FRONTEND", "http-request deny if { path_beg /x }"),
                "render");

        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("timeout client 33s", "http-request deny deny_status 403 if { path_beg /x }");
    }

    @Test
    void render_aBadExtraLine_exits1NamingTheVariable() {
        Outcome o = run(Map.of("EXTRA_GLOBAL", "no-such-keyword 1"), "render");

        assertThat(o.code()).isEqualTo(1);
        assertThat(o.err()).startsWith("EXTRA_GLOBAL:1: ").doesNotContain("at dev.sluice");
    }

    @Test
    void run_aBadVariable_exits1WithOneLine() {
        Outcome o = run(Map.of("TIMEOUT_CONNECT", "five"), "run", "--default-ports", "18080");

        assertThat(o.code()).isEqualTo(1);
        assertThat(o.err().strip()).isEqualTo("sluice: TIMEOUT_CONNECT: 'five' (expected whole seconds 0-2147483)");
    }
}
