package dev.sluice.admin.stats;

import java.util.List;

/**
 * HAProxy's stats CSV ({@code show stat}, {@code /stats;csv}): the header line {@code # pxname,svname,...}
 * and one line per row, each field followed by a comma, as HAProxy writes it.
 */
public final class StatsCsv {

    private StatsCsv() {
    }

    public static String render(List<StatsRow> rows) {
        StringBuilder out = new StringBuilder(512 + rows.size() * 256);
        out.append("# ");
        for (int i = 0; i < StatsFields.count(); i++) {
            out.append(StatsFields.name(i)).append(',');
        }
        out.append('\n');
        for (StatsRow row : rows) {
            for (int i = 0; i < StatsFields.count(); i++) {
                out.append(escape(row.get(i))).append(',');
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** HAProxy writes free text (a check's last message) with commas and quotes made harmless. */
    private static String escape(String v) {
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0) {
            return v;
        }
        return '"' + v.replace("\"", "\"\"").replace('\n', ' ') + '"';
    }
}
