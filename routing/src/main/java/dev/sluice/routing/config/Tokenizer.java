package dev.sluice.routing.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a configuration line into words as HAProxy does: blanks separate words, {@code #} starts
 * a comment, double quotes group words and allow escapes, single quotes group words literally,
 * a backslash escapes a blank, {@code \\ # ' " $} ({@code \t \r \n \xHH} are decoded) and is
 * kept before any other character.
 */
final class Tokenizer {

    private Tokenizer() {
    }

    static List<String> tokenize(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
                i++;
                continue;
            }
            if (c == '\\') {
                i = escape(line, i, word);
                inWord = true;
                continue;
            }
            if (quote == '"') {
                if (c == '$' && i + 1 < line.length() && line.charAt(i + 1) == '{') {
                    throw new ConfigException("environment variables such as '${...}' are not supported"
                            + " (expected a literal value; single quotes keep '$' as is)");
                }
                if (c == '"') {
                    quote = 0;
                } else {
                    word.append(c);
                }
                i++;
                continue;
            }
            if (c == '$' && i + 1 < line.length() && line.charAt(i + 1) == '{') {
                throw new ConfigException("environment variables such as '" + line.substring(i, Math.min(
                        line.length(), line.indexOf('}', i) < 0 ? line.length() : line.indexOf('}', i) + 1))
                        + "' are not supported (expected a literal value; single quotes keep '$' as is)");
            }
            if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (c == '#') {
                break;
            } else if (c == ' ' || c == '\t') {
                if (inWord) {
                    out.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
            i++;
        }
        if (quote != 0) {
            throw new ConfigException("unmatched quote " + quote + " (expected a closing " + quote + ")");
        }
        if (inWord) {
            out.add(word.toString());
        }
        return out;
    }

    private static int escape(String line, int i, StringBuilder word) {
        if (i + 1 >= line.length()) {
            throw new ConfigException("backslash at end of line (expected a character to escape)");
        }
        char n = line.charAt(i + 1);
        switch (n) {
            case 't' -> word.append('\t');
            case 'r' -> word.append('\r');
            case 'n' -> word.append('\n');
            case 'x' -> {
                if (i + 4 > line.length()) {
                    throw new ConfigException("incomplete \\x escape (expected two hex digits)");
                }
                try {
                    word.append((char) Integer.parseInt(line.substring(i + 2, i + 4), 16));
                } catch (NumberFormatException e) {
                    throw new ConfigException("invalid \\x escape (expected two hex digits)");
                }
                return i + 4;
            }
            case ' ', '\t', '\\', '#', '\'', '"', '$' -> word.append(n);
            // other escapes stay as written, so regex back-references like \1 survive
            default -> word.append('\\').append(n);
        }
        return i + 2;
    }

    /** A word as the renderer writes it, quoted when it needs to be. */
    static String quote(String word) {
        if (!word.isEmpty() && word.chars().noneMatch(c -> c == ' ' || c == '\t' || c == '#'
                || c == '"' || c == '\'' || c == '\\' || c == '$' || c < 0x20)) {
            return word;
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : word.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '$' -> b.append("\\$");
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
