package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

class EnvironmentTest {

    @TempDir
    Path secrets;

    private Environment env(Map<String, String> variables, Map<String, String> flags) {
        return new Environment(variables, flags, secrets);
    }

    @Test
    void get_flagWinsOverSecretAndVariable() throws Exception {
        Files.writeString(secrets.resolve("dfp_users"), "from-secret\n");
        Environment env = env(Map.of("USERS", "from-variable"), Map.of("users", "from-flag"));

        assertThat(env.get("USERS")).isEqualTo("from-flag");
    }

    @Test
    void get_secretWinsOverVariable_withoutTrailingNewlines() throws Exception {
        Files.writeString(secrets.resolve("dfp_users"), "alice:wonderland\n\n");
        Environment env = env(Map.of("USERS", "from-variable"), Map.of());

        assertThat(env.get("USERS")).isEqualTo("alice:wonderland");
    }

    @Test
    void get_secretFileNameIsTheLowerCaseName() throws Exception {
        Files.writeString(secrets.resolve("dfp_timeout_http_request"), "7");

        assertThat(env(Map.of(), Map.of()).get("TIMEOUT_HTTP_REQUEST")).isEqualTo("7");
    }

    @Test
    void get_anEmptySecretHidesTheVariable_asInDockerFlowProxy() throws Exception {
        Files.writeString(secrets.resolve("dfp_users"), "\n");
        Environment env = env(Map.of("USERS", "from-variable"), Map.of());

        assertThat(env.get("USERS")).isNull();
        assertThat(env.get("USERS", "default")).isEqualTo("default");
    }

    @Test
    void get_variableWhenNoFlagOrSecret_blankIsUnset() {
        Environment env = env(Map.of("SEPARATOR", ";", "STATE_DIR", "  "), Map.of());

        assertThat(env.get("SEPARATOR")).isEqualTo(";");
        assertThat(env.get("STATE_DIR")).isNull();
        assertThat(env.get("NOT_THERE", "x")).isEqualTo("x");
    }

    @Test
    void of_secretsDirFromTheVariable_elseRunSecrets() throws Exception {
        Files.writeString(secrets.resolve("dfp_separator"), ";");
        CommandLine cli = CommandLine.parse(new String[] {"run"});

        assertThat(Environment.of(Map.of("SECRETS_DIR", secrets.toString()), cli).get("SEPARATOR")).isEqualTo(";");
        assertThat(Environment.of(Map.of(), cli).secretsDir()).isEqualTo(Path.of("/run/secrets"));
        assertThat(Environment.of(Map.of(), CommandLine.parse(new String[] {"run", "--secrets-dir", secrets.toString()}))
                .get("SEPARATOR")).isEqualTo(";");
    }

    @Test
    void bool_readsWhatGoParseBoolReads() {
        for (String t : List.of("1", "t", "T", "TRUE", "true", "True")) {
            assertThat(env(Map.of("HTTPS_ONLY", t), Map.of()).bool("HTTPS_ONLY", false)).as(t).isTrue();
        }
        for (String f : List.of("0", "f", "F", "FALSE", "false", "False")) {
            assertThat(env(Map.of("HTTPS_ONLY", f), Map.of()).bool("HTTPS_ONLY", true)).as(f).isFalse();
        }
        assertThat(env(Map.of(), Map.of()).bool("HTTPS_ONLY", true)).isTrue();
    }

    @Test
    void bool_anythingElseIsAnErrorNamingTheVariable() {
        for (String bad : List.of("yes", "tRUE", "on", "2")) {
            assertThatThrownBy(() -> env(Map.of("HTTPS_ONLY", bad), Map.of()).bool("HTTPS_ONLY", false))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("HTTPS_ONLY: '" + bad + "' (expected true or false)");
        }
    }

    @Test
    void integer_outsideTheRangeOrNotANumber_isAnErrorNamingTheVariable() {
        Environment env = env(Map.of("A", "20", "B", "-1", "C", "20s"), Map.of());

        assertThat(env.integer("A", 5, 0, 100, "whole seconds")).isEqualTo(20);
        assertThat(env.integer("D", 5, 0, 100, "whole seconds")).isEqualTo(5);
        assertThatThrownBy(() -> env.integer("B", 5, 0, 100, "whole seconds"))
                .hasMessage("B: '-1' (expected whole seconds 0-100)");
        assertThatThrownBy(() -> env.integer("C", 5, 0, 100, "whole seconds"))
                .hasMessage("C: '20s' (expected whole seconds 0-100)");
    }

    @Test
    void oneOf_listsTheAllowedValues() {
        Environment env = env(Map.of("DEFAULT_REQ_MODE", "udp"), Map.of());

        assertThatThrownBy(() -> env.oneOf("DEFAULT_REQ_MODE", "http", List.of("http", "tcp", "sni")))
                .hasMessage("DEFAULT_REQ_MODE: 'udp' (expected one of: http, tcp, sni)");
    }
}
