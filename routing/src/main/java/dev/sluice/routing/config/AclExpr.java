package dev.sluice.routing.config;

import java.util.List;

/**
 * The test of an {@code acl} line or of an anonymous ACL {@code { ... }}: a fetch with its
 * converters, flags and patterns (patterns of {@code -f FILE} are read at parse time and kept here).
 *
 * @param fetch the fetch keyword as written, e.g. {@code path_beg} or {@code req.hdr}
 * @param arg   the fetch argument, e.g. {@code host} of {@code hdr(host)}, or {@code null}
 * @param match the {@code -m} method, or {@code null} for the fetch's own method
 */
public record AclExpr(String fetch, String arg, List<String> converters, boolean ignoreCase,
                      String match, List<String> patterns) {

    public AclExpr {
        converters = List.copyOf(converters);
        patterns = List.copyOf(patterns);
    }

    /** The sample as written: {@code fetch(arg),conv1,conv2}. */
    public String sampleText() {
        StringBuilder b = new StringBuilder(fetch);
        if (arg != null) {
            b.append('(').append(arg).append(')');
        }
        for (String c : converters) {
            b.append(',').append(c);
        }
        return b.toString();
    }
}
