package dev.sluice.routing.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads reconfigure parameters as Docker Flow Proxy does: the first value of a name, an empty
 * value the same as none, a {@code .N} form falling back to the un-suffixed one. Every reader
 * that can fail names the parameter (with its suffix) and what was expected.
 */
final class Params {

    private static final Set<String> TRUE = Set.of("1", "t", "T", "TRUE", "true", "True");
    private static final Set<String> FALSE = Set.of("0", "f", "F", "FALSE", "false", "False");
    private static final Pattern SPACE = Pattern.compile("\\s");

    private final Map<String, List<String>> raw;
    private final String separator;

    Params(Map<String, List<String>> raw, String separator) {
        this.raw = raw;
        this.separator = separator;
    }

    /** The first value of exactly {@code name}, or "". */
    String exact(String name) {
        List<String> values = raw.get(name);
        if (values == null || values.isEmpty() || values.get(0) == null) {
            return "";
        }
        return values.get(0).trim();
    }

    boolean has(String name) {
        return !exact(name).isEmpty();
    }

    /** {@code name + suffix}, else {@code name}; returns the name that gave the value in {@code which[0]}. */
    String get(String name, String suffix) {
        String v = exact(name + suffix);
        return v.isEmpty() ? exact(name) : v;
    }

    private String nameOf(String name, String suffix) {
        return has(name + suffix) ? name + suffix : name;
    }

    boolean bool(String name, String suffix) throws ServiceException {
        String v = get(name, suffix);
        if (v.isEmpty() || FALSE.contains(v)) {
            return false;
        }
        if (TRUE.contains(v)) {
            return true;
        }
        throw ServiceException.badParameter(nameOf(name, suffix), v, "true or false");
    }

    /** An integer in {@code [min, max]}, or {@code absent} when not given. */
    int integer(String name, String suffix, int min, int max, int absent) throws ServiceException {
        String v = get(name, suffix);
        if (v.isEmpty()) {
            return absent;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ServiceException.badParameter(nameOf(name, suffix), v, "an integer from " + min + " to " + max);
    }

    int port(String name, String suffix) throws ServiceException {
        String v = get(name, suffix);
        if (v.isEmpty()) {
            return 0;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= 65535) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ServiceException.badParameter(nameOf(name, suffix), v, "a port from 1 to 65535");
    }

    /** A {@code SEPARATOR}-separated list, items trimmed, empty items dropped. */
    List<String> list(String name, String suffix) {
        return split(get(name, suffix), separator);
    }

    /** Like {@link #list}, each item checked against {@code pattern}. */
    List<String> list(String name, String suffix, Pattern pattern, String expected) throws ServiceException {
        List<String> items = list(name, suffix);
        for (String item : items) {
            if (!pattern.matcher(item).matches()) {
                throw ServiceException.badParameter(nameOf(name, suffix), item, expected);
            }
        }
        return items;
    }

    /** Items without white space (paths, domains). */
    List<String> words(String name, String suffix, String expected) throws ServiceException {
        List<String> items = list(name, suffix);
        for (String item : items) {
            if (SPACE.matcher(item).find()) {
                throw ServiceException.badParameter(nameOf(name, suffix), item, expected);
            }
        }
        return items;
    }

    String nameWithSuffix(String name, String suffix) {
        return nameOf(name, suffix);
    }

    static List<String> split(String value, String separator) {
        List<String> items = new ArrayList<>();
        if (value.isEmpty()) {
            return items;
        }
        int from = 0;
        while (true) {
            int at = value.indexOf(separator, from);
            String item = (at < 0 ? value.substring(from) : value.substring(from, at)).trim();
            if (!item.isEmpty()) {
                items.add(item);
            }
            if (at < 0) {
                return items;
            }
            from = at + separator.length();
        }
    }

    Set<String> names() {
        return raw.keySet();
    }
}
