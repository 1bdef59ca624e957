package dev.sluice.routing.config;

import java.util.Set;

/** Parsing of the scalar values of configuration lines, with errors naming the keyword. */
final class Values {

    private static final Set<String> UNITS = Set.of("us", "ms", "s", "m", "h", "d");

    private Values() {
    }

    /** A time in milliseconds; no unit means milliseconds, {@code us} rounds up to 1 ms. */
    static long time(String keyword, String text) {
        int digits = 0;
        while (digits < text.length() && text.charAt(digits) >= '0' && text.charAt(digits) <= '9') {
            digits++;
        }
        String unit = digits == text.length() ? "ms" : text.substring(digits);
        if (digits == 0 || !UNITS.contains(unit)) {
            throw new ConfigException("'" + keyword + "': invalid time '" + text
                    + "' (expected a number with unit us, ms, s, m, h or d)");
        }
        long n;
        try {
            n = Long.parseLong(text, 0, digits, 10);
        } catch (NumberFormatException e) {
            n = Long.MAX_VALUE;
        }
        long factor = switch (unit) {
            case "s" -> 1000;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            case "d" -> 86_400_000;
            default -> 1;
        };
        long ms = unit.equals("us") ? (n + 999) / 1000 : n > Integer.MAX_VALUE ? Long.MAX_VALUE : n * factor;
        if (ms > Integer.MAX_VALUE) {
            // HAProxy's timers are 32-bit milliseconds
            throw new ConfigException("'" + keyword + "': time '" + text
                    + "' is too large (expected at most 2147483647ms, about 24d)");
        }
        return ms;
    }

    static int integer(String keyword, String text, int min, int max) {
        try {
            int v = Integer.parseInt(text);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException("'" + keyword + "': invalid value '" + text + "' (expected an integer "
                + min + "-" + max + ")");
    }

    static int port(String keyword, String text) {
        try {
            int v = Integer.parseInt(text);
            if (v >= 1 && v <= 65535) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException("'" + keyword + "': port " + text + " out of range (expected 1-65535)");
    }

    static String formatTime(long ms) {
        if (ms % 86_400_000 == 0) {
            return ms / 86_400_000 + "d";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    /** {@code keyword} needs {@code n} arguments after it. */
    static void arity(java.util.List<String> words, int n, String usage) {
        if (words.size() < n + 1) {
            throw new ConfigException("'" + words.get(0) + "': missing argument (expected " + usage + ")");
        }
    }
}
