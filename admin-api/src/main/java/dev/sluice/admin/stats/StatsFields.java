package dev.sluice.admin.stats;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of HAProxy 2.6's stats CSV, in HAProxy's order, and for each row type whether HAProxy
 * fills the field (a number Sluice does not count is then written as 0, as HAProxy writes a counter
 * that stayed at 0) or leaves it blank. Read from {@code haproxy-stats-fields.txt}, which was taken
 * from the output of a real HAProxy 2.6, so that tools that parse HAProxy's CSV by position or by
 * name read Sluice's unchanged.
 */
public final class StatsFields {

    private static final List<String> NAMES = new ArrayList<>();
    private static final Map<String, Integer> INDEX = new HashMap<>();
    /** Per field: the row types it is filled for, as in the resource ("FBS", "s", "-"). */
    private static final List<String> FILLED = new ArrayList<>();

    static {
        for (String line : resourceLines("haproxy-stats-fields.txt")) {
            String[] parts = line.trim().split(" ");
            INDEX.put(parts[0], NAMES.size());
            NAMES.add(parts[0]);
            FILLED.add(parts[1]);
        }
    }

    /** The lines of a resource of this package's data ({@code /dev/sluice/admin/NAME}), without blanks and {@code #} comments. */
    static List<String> resourceLines(String name) {
        try (InputStream in = StatsFields.class.getResourceAsStream("/dev/sluice/admin/" + name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            List<String> lines = new ArrayList<>();
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    lines.add(line);
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private StatsFields() {
    }

    /** The field names in order ({@code pxname}, {@code svname}, {@code qcur}, ...). */
    public static List<String> names() {
        return List.copyOf(NAMES);
    }

    static int count() {
        return NAMES.size();
    }

    static String name(int index) {
        return NAMES.get(index);
    }

    /** The position of {@code field}; an unknown name is a programming error. */
    static int index(String field) {
        Integer i = INDEX.get(field);
        if (i == null) {
            throw new IllegalArgumentException("not a field of HAProxy's stats CSV: " + field);
        }
        return i;
    }

    /** Whether HAProxy writes a value (0 when nothing was counted) in this field for this row. */
    static boolean filled(int index, StatsRow.Type type, boolean checked) {
        String f = FILLED.get(index);
        return f.indexOf(type.letter()) >= 0 || (checked && type == StatsRow.Type.SERVER && f.indexOf('s') >= 0);
    }
}
