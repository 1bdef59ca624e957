package dev.sluice.app;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a variable's value comes from, in this order: the command-line flag ({@code --foo-bar} for
 * {@code FOO_BAR}), the Docker secret {@code SECRETS_DIR/dfp_foo_bar} (as Docker Flow Proxy's
 * {@code getSecretOrEnvVar}: a secret wins over the variable, trailing newlines are dropped), then
 * the environment variable. A blank value counts as unset. {@code SECRETS_DIR} (default
 * {@code /run/secrets}) is itself read from the flag {@code --secrets-dir} or the environment.
 *
 * <p>Also parses values the way Docker Flow Proxy does; a bad value is an
 * {@link IllegalArgumentException} that names the variable and what was expected.
 */
final class Environment {

    static final String SECRETS_DIR = "SECRETS_DIR";
    static final Path DEFAULT_SECRETS_DIR = Path.of("/run/secrets");

    private static final List<String> TRUE = List.of("1", "t", "T", "TRUE", "true", "True");
    private static final List<String> FALSE = List.of("0", "f", "F", "FALSE", "false", "False");

    private final Map<String, String> variables;
    private final Map<String, String> flags;
    private final Path secretsDir;

    /**
     * @param variables  the process environment (or a test's map)
     * @param flags      command-line flags by flag name ({@code foo-bar}), without the dashes
     * @param secretsDir where Docker secrets are mounted
     */
    Environment(Map<String, String> variables, Map<String, String> flags, Path secretsDir) {
        this.variables = Map.copyOf(requireNonNull(variables, "variables"));
        this.flags = Map.copyOf(requireNonNull(flags, "flags"));
        this.secretsDir = requireNonNull(secretsDir, "secretsDir");
    }

    /** The environment of a command line; {@code SECRETS_DIR} from its flag or variable, else /run/secrets. */
    static Environment of(Map<String, String> variables, CommandLine cli) {
        String dir = cli.flags().get(flag(SECRETS_DIR));
        if (dir == null || dir.isBlank()) {
            dir = variables.get(SECRETS_DIR);
        }
        Path secrets = dir == null || dir.isBlank() ? DEFAULT_SECRETS_DIR : Path.of(dir.trim());
        return new Environment(variables, cli.flags(), secrets);
    }

    /** {@code FOO_BAR} -> {@code foo-bar}. */
    static String flag(String variable) {
        return variable.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    Path secretsDir() {
        return secretsDir;
    }

    /** The raw environment variables (without flags or secrets), for {@code DFP_SERVICE_*}. */
    Map<String, String> variables() {
        return variables;
    }

    /** The value of {@code name} (flag, secret, variable), trimmed; {@code null} when unset or blank. */
    String get(String name) {
        String value = flags.get(flag(name));
        if (value == null) {
            value = secret(name);
        }
        if (value == null) {
            value = variables.get(name);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** The value of {@code name}, or {@code defaultValue} when unset. */
    String get(String name, String defaultValue) {
        String value = get(name);
        return value == null ? defaultValue : value;
    }

    /** A boolean as Go's {@code strconv.ParseBool} reads it: 1, t, T, TRUE, true, True and their negations. */
    boolean bool(String name, boolean defaultValue) {
        String value = get(name);
        if (value == null) {
            return defaultValue;
        }
        if (TRUE.contains(value)) {
            return true;
        }
        if (FALSE.contains(value)) {
            return false;
        }
        throw new IllegalArgumentException(name + ": '" + value + "' (expected true or false)");
    }

    /** An integer in {@code [min, max]}; {@code unit} describes it in the error message. */
    int integer(String name, int defaultValue, int min, int max, String unit) {
        String value = get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + ": '" + value + "' (expected " + unit + " " + min + "-" + max + ")");
    }

    /** One of {@code allowed} (exact spelling), or {@code defaultValue} when unset. */
    String oneOf(String name, String defaultValue, List<String> allowed) {
        String value = get(name, defaultValue);
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException(name + ": '" + value + "' (expected one of: "
                    + String.join(", ", allowed) + ")");
        }
        return value;
    }

    /** The content of {@code dfp_<name>} without trailing newlines, or {@code null} if there is no such file. */
    private String secret(String name) {
        Path file = secretsDir.resolve("dfp_" + name.toLowerCase(Locale.ROOT));
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            String content = Files.readString(file, StandardCharsets.UTF_8);
            int end = content.length();
            while (end > 0 && (content.charAt(end - 1) == '\n' || content.charAt(end - 1) == '\r')) {
                end--;
            }
            return content.substring(0, end);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new IllegalArgumentException(name + ": cannot read the secret " + file + " (" + e.getMessage() + ")");
        }
    }
}
