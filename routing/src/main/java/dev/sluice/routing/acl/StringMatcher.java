package dev.sluice.routing.acl;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The string match methods of HAProxy ({@code -m str|beg|end|sub|reg|dom|dir|len}). */
interface StringMatcher {

    boolean matches(String sample);

    static StringMatcher of(String method, List<String> patterns, boolean ignoreCase) {
        if (method.equals("reg")) {
            return regex(patterns, ignoreCase);
        }
        if (method.equals("len")) {
            List<IntRange> ranges = IntRange.parseAll(patterns);
            return s -> ranges.stream().anyMatch(r -> r.contains(s.length()));
        }
        String[] p = patterns.stream().map(x -> ignoreCase ? Ascii.lower(x) : x).toArray(String[]::new);
        StringMatcher m = switch (method) {
            case "str" -> {
                Set<String> set = new HashSet<>(List.of(p));
                yield set::contains;
            }
            case "beg" -> s -> anyMatch(p, s::startsWith);
            case "end" -> s -> anyMatch(p, s::endsWith);
            case "sub" -> s -> anyMatch(p, s::contains);
            case "dom" -> words(p, "/?.:");
            case "dir" -> words(p, "/?");
            default -> throw new IllegalArgumentException("unknown match method '" + method + "'");
        };
        return ignoreCase ? s -> m.matches(Ascii.lower(s)) : m;
    }

    private static boolean anyMatch(String[] patterns, java.util.function.Predicate<String> test) {
        for (String p : patterns) {
            if (test.test(p)) {
                return true;
            }
        }
        return false;
    }

    private static StringMatcher regex(List<String> patterns, boolean ignoreCase) {
        Pattern[] compiled = new Pattern[patterns.size()];
        for (int i = 0; i < compiled.length; i++) {
            try {
                compiled[i] = Pattern.compile(patterns.get(i), ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid regex '" + patterns.get(i) + "': "
                        + e.getDescription());
            }
        }
        return s -> {
            for (Pattern p : compiled) {
                if (p.matcher(s).find()) {
                    return true;
                }
            }
            return false;
        };
    }

    private static StringMatcher words(String[] patterns, String delimiters) {
        String[] stripped = new String[patterns.length];
        for (int i = 0; i < patterns.length; i++) {
            stripped[i] = stripDelimiters(patterns[i], delimiters);
        }
        return s -> {
            for (String p : stripped) {
                if (wordMatch(s, p, delimiters)) {
                    return true;
                }
            }
            return false;
        };
    }

    /** The pattern without the delimiters at its ends, as HAProxy compares it. */
    static String stripDelimiters(String p, String delimiters) {
        int b = 0;
        int e = p.length();
        while (b < e && delimiters.indexOf(p.charAt(b)) >= 0) {
            b++;
        }
        while (e > b && delimiters.indexOf(p.charAt(e - 1)) >= 0) {
            e--;
        }
        return p.substring(b, e);
    }

    /** {@code p} occurs in {@code s} starting at a word start and ending at a delimiter or the end. */
    static boolean wordMatch(String s, String p, String delimiters) {
        int pl = p.length();
        if (pl == 0 || pl > s.length()) {
            return false;
        }
        boolean mayMatch = true;
        for (int c = 0; c <= s.length() - pl; c++) {
            if (delimiters.indexOf(s.charAt(c)) >= 0) {
                mayMatch = true;
                continue;
            }
            if (mayMatch && s.startsWith(p, c)
                && (c + pl == s.length() || delimiters.indexOf(s.charAt(c + pl)) >= 0)) {
                return true;
            }
            mayMatch = false;
        }
        return false;
    }
}
