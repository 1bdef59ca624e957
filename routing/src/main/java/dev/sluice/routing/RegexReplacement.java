package dev.sluice.routing;

import java.util.regex.Matcher;

/**
 * HAProxy's {@code replace-path} / {@code replace-header} replacement: when the regex matches
 * anywhere in the value, the whole value becomes the replacement, with {@code \0}..{@code \9}
 * standing for the groups of the match (HAProxy's {@code exp_replace}); {@code \\} is a
 * backslash and a backslash before any other character keeps that character.
 */
public final class RegexReplacement {

    private RegexReplacement() {
    }

    /** The replacement for {@code m}, which has just found a match. */
    public static String expand(Matcher m, String replacement) {
        StringBuilder sb = new StringBuilder(replacement.length() + 16);
        for (int i = 0; i < replacement.length(); i++) {
            char c = replacement.charAt(i);
            if (c != '\\' || i + 1 == replacement.length()) {
                sb.append(c);
                continue;
            }
            char next = replacement.charAt(++i);
            if (next >= '0' && next <= '9') {
                int group = next - '0';
                String value = group <= m.groupCount() ? m.group(group) : null;
                if (value != null) {
                    sb.append(value);
                }
            } else {
                sb.append(next);
            }
        }
        return sb.toString();
    }
}
