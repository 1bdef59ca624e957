package dev.sluice.routing.config;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code http-check expect [!] status|rstatus|string|rstring PATTERN}: what a check response must
 * show to pass. {@code status} takes HAProxy's list or range form ({@code 200}, {@code 200-399},
 * {@code 200,204}); {@code rstatus} a regex searched in the status code; {@code string} a
 * substring and {@code rstring} a regex searched in the (first part of the) body.
 */
public record HttpCheckExpect(boolean negated, Kind kind, String pattern) {

    public enum Kind {
        STATUS, RSTATUS, STRING, RSTRING;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public HttpCheckExpect {
        requireNonNull(kind, "kind");
        requireNonNull(pattern, "pattern");
    }

    /** Parses the words after {@code expect}; throws {@link ConfigException} with what was expected. */
    public static HttpCheckExpect parse(List<String> w) {
        boolean negated = !w.isEmpty() && w.get(0).equals("!");
        List<String> rest = negated ? w.subList(1, w.size()) : w;
        if (rest.size() != 2) {
            throw new ConfigException("'http-check expect': expected 'http-check expect [!] "
                    + "status|rstatus|string|rstring PATTERN'");
        }
        String p = rest.get(1);
        Kind kind = switch (rest.get(0)) {
            case "status" -> Kind.STATUS;
            case "rstatus" -> Kind.RSTATUS;
            case "string" -> Kind.STRING;
            case "rstring" -> Kind.RSTRING;
            default -> throw new ConfigException("'http-check expect': unsupported match '" + rest.get(0)
                    + "' (expected status, rstatus, string or rstring)");
        };
        if (kind == Kind.STATUS && !p.matches("\\d{3}(-\\d{3})?(,\\d{3}(-\\d{3})?)*")) {
            throw new ConfigException("'http-check expect status': invalid status '" + p
                    + "' (expected a code, a range like 200-399, or a comma-separated list)");
        }
        if (kind == Kind.RSTATUS || kind == Kind.RSTRING) {
            try {
                Pattern.compile(p);
            } catch (PatternSyntaxException e) {
                throw new ConfigException("'http-check expect " + kind.word() + "': invalid regex '" + p
                        + "' (" + e.getDescription() + ")");
            }
        }
        return new HttpCheckExpect(negated, kind, p);
    }

    /** Whether {@code status} matches a {@code status} pattern: codes and ranges, comma-separated. */
    public static boolean statusMatches(String pattern, int status) {
        for (String part : pattern.split(",")) {
            int dash = part.indexOf('-');
            int lo = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
            int hi = dash < 0 ? lo : Integer.parseInt(part.substring(dash + 1));
            if (status >= lo && status <= hi) {
                return true;
            }
        }
        return false;
    }

    /** The words after {@code http-check expect}, for rendering. */
    public List<String> words() {
        return negated ? List.of("!", kind.word(), pattern) : List.of(kind.word(), pattern);
    }
}
