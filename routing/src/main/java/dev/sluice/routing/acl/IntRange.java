package dev.sluice.routing.acl;

import java.util.ArrayList;
import java.util.List;

/** An integer pattern: {@code N}, {@code N:M}, {@code :M}, {@code N:}, or {@code eq|lt|le|gt|ge N}. */
record IntRange(long min, long max) {

    boolean contains(long v) {
        return v >= min && v <= max;
    }

    static List<IntRange> parseAll(List<String> patterns) {
        List<IntRange> out = new ArrayList<>();
        for (int i = 0; i < patterns.size(); i++) {
            String p = patterns.get(i);
            switch (p) {
                case "eq", "lt", "le", "gt", "ge" -> {
                    if (i + 1 >= patterns.size()) {
                        throw new IllegalArgumentException("operator '" + p + "' needs a number after it");
                    }
                    long v = number(patterns.get(++i));
                    out.add(switch (p) {
                        case "eq" -> new IntRange(v, v);
                        case "lt" -> new IntRange(Long.MIN_VALUE, v - 1);
                        case "le" -> new IntRange(Long.MIN_VALUE, v);
                        case "gt" -> new IntRange(v + 1, Long.MAX_VALUE);
                        default -> new IntRange(v, Long.MAX_VALUE);
                    });
                }
                default -> out.add(parse(p));
            }
        }
        return out;
    }

    static IntRange parse(String p) {
        int colon = p.indexOf(':');
        if (colon < 0) {
            long v = number(p);
            return new IntRange(v, v);
        }
        String lo = p.substring(0, colon);
        String hi = p.substring(colon + 1);
        long min = lo.isEmpty() ? Long.MIN_VALUE : number(lo);
        long max = hi.isEmpty() ? Long.MAX_VALUE : number(hi);
        if (min > max) {
            throw new IllegalArgumentException("invalid range '" + p + "' (expected MIN:MAX with MIN <= MAX)");
        }
        return new IntRange(min, max);
    }

    private static long number(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid integer pattern '" + s
                    + "' (expected N, MIN:MAX, or eq|lt|le|gt|ge N)");
        }
    }
}
