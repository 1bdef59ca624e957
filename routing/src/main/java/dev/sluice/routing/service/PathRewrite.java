package dev.sluice.routing.service;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Docker Flow Proxy's {@code reqPathSearchReplace} ({@code set-path %[path,regsub(S,R)]}) as the
 * equivalent {@code replace-path} regex and format, since Sluice does not evaluate log-format
 * expressions: {@code replace-path ^(.*?)(S)(.*)$ \1R\N}.
 */
final class PathRewrite {

    private static final Pattern BACKREF = Pattern.compile("\\\\(\\d)");

    private PathRewrite() {
    }

    /**
     * regsub's first match of {@code search}, as a whole-path regex: {@code ^(.*?)(search)(.*)$}.
     * The search is a group of its own, so an alternation stays inside it and {@code \0} has a
     * group to name; its back-references move up by the two groups in front of it.
     */
    static String replacePathRegex(String search) {
        return "^(.*?)(" + shiftBackReferences(search) + ")(.*)$";
    }

    /**
     * The replacement around the match: {@code \1}, the replacement (its {@code \N} moved up by
     * two, {@code \0} becoming the search's own group), then the rest of the path.
     */
    static String replacePathFormat(SearchReplace sr) {
        int groups = Pattern.compile(sr.search()).matcher("").groupCount();
        Matcher m = BACKREF.matcher(sr.replace());
        StringBuilder shifted = new StringBuilder();
        while (m.find()) {
            int group = Integer.parseInt(m.group(1));
            m.appendReplacement(shifted, Matcher.quoteReplacement("\\" + (group + 2)));
        }
        m.appendTail(shifted);
        return "\\1" + shifted + "\\" + (groups + 3);
    }

    /** {@code \N} back-references of a regex, outside character classes and quotes, moved up by two. */
    private static String shiftBackReferences(String regex) {
        StringBuilder out = new StringBuilder(regex.length() + 8);
        int classDepth = 0;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                char next = regex.charAt(i + 1);
                if (next == 'Q') {
                    int end = regex.indexOf("\\E", i + 2);
                    end = end < 0 ? regex.length() : end + 2;
                    out.append(regex, i, end);
                    i = end - 1;
                } else if (classDepth == 0 && next >= '1' && next <= '9') {
                    out.append('\\').append(next - '0' + 2);
                    if (i + 2 < regex.length() && Character.isDigit(regex.charAt(i + 2))) {
                        out.append("(?:)"); // the digit after the reference stays a literal
                    }
                    i++;
                } else {
                    out.append(c).append(next);
                    i++;
                }
                continue;
            }
            if (c == '[') {
                classDepth++;
            } else if (c == ']' && classDepth > 0) {
                classDepth--;
            }
            out.append(c);
        }
        return out.toString();
    }
}
