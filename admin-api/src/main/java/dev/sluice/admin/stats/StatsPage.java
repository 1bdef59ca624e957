package dev.sluice.admin.stats;

import dev.sluice.routing.RoutingTable;
import dev.sluice.routing.Server;
import dev.sluice.routing.StateEvent;
import dev.sluice.routing.StateEvents;
import dev.sluice.routing.stats.Traffic;
import org.HdrHistogram.Histogram;

import java.time.Instant;
import java.util.List;

/**
 * The stats page a person reads at a glance: one table per frontend and per backend (a row per
 * server), coloured by state, with HAProxy's columns that matter and response-time percentiles,
 * the routing table's generation and hash, and recent state changes. Plain HTML and CSS: it
 * refreshes itself with a meta tag, needs no JavaScript, and scrolls sideways on a phone.
 */
public final class StatsPage {

    static final int REFRESH_SECONDS = 5;
    private static final int EVENTS_SHOWN = 20;

    private StatsPage() {
    }

    /**
     * @param csvLink     where the CSV is, from this page
     * @param metricsLink where the Prometheus metrics are, or {@code null} (not served there)
     */
    public static String render(RoutingTable table, List<StatsRow> rows, String version, String csvLink,
                                String metricsLink) {
        return render(table, rows, version, csvLink, metricsLink, "");
    }

    /** Like the other; {@code replicasHtml} (already escaped) follows the header: the peer replicas. */
    public static String render(RoutingTable table, List<StatsRow> rows, String version, String csvLink,
                                String metricsLink, String replicasHtml) {
        StringBuilder h = new StringBuilder(8192 + rows.size() * 600);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<meta http-equiv=\"refresh\" content=\"").append(REFRESH_SECONDS).append("\">")
                .append("<title>Sluice statistics</title><style>").append(CSS).append("</style></head><body>\n");
        h.append("<header><h1>Sluice statistics</h1><p>").append(esc(version))
                .append(" &middot; routing generation <b id=\"generation\">").append(table.generation())
                .append("</b> &middot; hash <code id=\"hash\">").append(esc(table.hash()))
                .append("</code> &middot; ").append(esc(Instant.now().toString()))
                .append(" &middot; refreshes every ").append(REFRESH_SECONDS).append(" s</p>")
                .append("<p class=\"legend\"><span class=\"up\">up</span><span class=\"down\">down</span>")
                .append("<span class=\"backup\">backup</span><span class=\"drain\">drain</span>")
                .append("<span class=\"maint\">maintenance</span><span class=\"nocheck\">no check</span></p>")
                .append("</header>\n");
        h.append(replicasHtml);
        for (StatsRow row : rows) {
            if (row.type() == StatsRow.Type.FRONTEND) {
                frontend(h, row);
            }
        }
        StatsRow[] pending = rows.toArray(StatsRow[]::new);
        int start = 0;
        for (int i = 0; i < pending.length; i++) {
            if (pending[i].type() == StatsRow.Type.BACKEND) {
                backend(h, table, pending, start, i);
                start = i + 1;
            } else if (pending[i].type() == StatsRow.Type.FRONTEND) {
                start = i + 1;
            }
        }
        events(h);
        h.append("<footer>Also: <a href=\"").append(esc(csvLink)).append("\">CSV</a> (HAProxy's fields)");
        if (metricsLink != null) {
            h.append(" &middot; <a href=\"").append(esc(metricsLink)).append("\">Prometheus</a>");
        }
        h.append("</footer>\n</body></html>\n");
        return h.toString();
    }

    private static void frontend(StringBuilder h, StatsRow f) {
        h.append("<section><h2>Frontend <span>").append(esc(f.proxy())).append("</span> <small>")
                .append(esc(f.get("mode"))).append("</small></h2><div class=\"scroll\"><table><thead><tr>")
                .append("<th>Status</th><th>Sessions<br>cur / max / total</th><th>Req/s<br>now / max</th>")
                .append("<th>Requests</th><th>1xx</th><th>2xx</th><th>3xx</th><th>4xx</th><th>5xx</th>")
                .append("<th>Denied</th><th>Errors</th><th>Bytes in</th><th>Bytes out</th></tr></thead><tbody>")
                .append("<tr class=\"up\"><td>").append(esc(f.get("status"))).append("</td>")
                .append(td(f.get("scur") + " / " + f.get("smax") + " / " + f.get("stot")))
                .append(td(f.get("req_rate") + " / " + f.get("req_rate_max")))
                .append(td(f.get("req_tot")))
                .append(td(f.get("hrsp_1xx"))).append(td(f.get("hrsp_2xx"))).append(td(f.get("hrsp_3xx")))
                .append(td(f.get("hrsp_4xx"))).append(td(f.get("hrsp_5xx")))
                .append(td(f.get("dreq"))).append(td(f.get("ereq")))
                .append(td(bytes(f.number("bin")))).append(td(bytes(f.number("bout"))))
                .append("</tr></tbody></table></div></section>\n");
    }

    private static void backend(StringBuilder h, RoutingTable table, StatsRow[] rows, int from, int backendIndex) {
        StatsRow b = rows[backendIndex];
        h.append("<section><h2>Backend <span>").append(esc(b.proxy())).append("</span> <small>")
                .append(esc(b.get("mode"))).append("</small></h2><div class=\"scroll\"><table><thead><tr>")
                .append("<th>Server</th><th>Status</th><th>Last check</th><th>Weight</th>")
                .append("<th>Sessions<br>cur / max / total</th><th>Req/s<br>now / max</th>")
                .append("<th>1xx</th><th>2xx</th><th>3xx</th><th>4xx</th><th>5xx</th>")
                .append("<th>Errors<br>conn / resp</th><th>Retries<br>/ redisp.</th>")
                .append("<th>Latency p50 / p99 / p99.9</th><th>Bytes in</th><th>Bytes out</th></tr></thead><tbody>");
        var backend = table.backend(b.proxy());
        for (int i = from; i < backendIndex; i++) {
            StatsRow s = rows[i];
            Server server = backend == null ? null : backend.servers().stream()
                    .filter(x -> x.name().equals(s.name())).findFirst().orElse(null);
            String cls = cssClass(s.get("status"), s.get("bck").equals("1"));
            h.append("<tr class=\"").append(cls).append("\"><td>").append(esc(s.name()))
                    .append("<br><small>").append(esc(s.get("addr"))).append("</small></td>")
                    .append("<td>").append(esc(s.get("status"))).append(s.get("bck").equals("1") ? " (backup)" : "")
                    .append("<br><small>for ").append(duration(s.number("lastchg"))).append("</small></td>")
                    .append(td(s.get("last_chk").isEmpty() ? "&ndash;" : esc(s.get("last_chk"))))
                    .append(row(s))
                    .append(td(server == null ? "" : percentiles(server.state().traffic())))
                    .append(td(bytes(s.number("bin")))).append(td(bytes(s.number("bout"))))
                    .append("</tr>");
        }
        h.append("<tr class=\"total ").append(b.get("status").equals("UP") ? "up" : "down")
                .append("\"><td>Backend</td><td>").append(esc(b.get("status")))
                .append("<br><small>").append(b.get("act")).append(" active, ").append(b.get("bck"))
                .append(" backup</small></td><td></td>").append(row(b))
                .append(td(percentiles(table.traffic().backend(b.proxy()))))
                .append(td(bytes(b.number("bin")))).append(td(bytes(b.number("bout"))))
                .append("</tr></tbody></table></div></section>\n");
    }

    /** The columns servers and backends share, from Weight to Retries. */
    private static String row(StatsRow r) {
        return td(r.get("weight")) + td(r.get("scur") + " / " + r.get("smax") + " / " + r.get("stot"))
                + td(r.get("rate") + " / " + r.get("rate_max"))
                + td(r.get("hrsp_1xx")) + td(r.get("hrsp_2xx")) + td(r.get("hrsp_3xx")) + td(r.get("hrsp_4xx"))
                + td(r.get("hrsp_5xx")) + td(r.get("econ") + " / " + r.get("eresp"))
                + td(r.get("wretr") + " / " + r.get("wredis"));
    }

    private static void events(StringBuilder h) {
        List<StateEvent> events = StateEvents.recent();
        h.append("<section><h2>Recent state changes</h2>");
        if (events.isEmpty()) {
            h.append("<p>None since start.</p></section>\n");
            return;
        }
        h.append("<div class=\"scroll\"><table class=\"events\"><thead><tr><th>Time</th><th>Server</th><th>From</th>")
                .append("<th>To</th><th>Why</th></tr></thead><tbody>");
        for (int i = events.size() - 1; i >= Math.max(0, events.size() - EVENTS_SHOWN); i--) {
            StateEvent e = events.get(i);
            h.append("<tr class=\"").append(cssClass(e.to(), false)).append("\"><td>")
                    .append(esc(Instant.ofEpochMilli(e.timeMillis()).toString())).append("</td><td>")
                    .append(esc(e.backend() + "/" + e.server())).append("</td><td>").append(esc(e.from()))
                    .append("</td><td>").append(esc(e.to())).append("</td><td>").append(esc(e.reason()))
                    .append("</td></tr>");
        }
        h.append("</tbody></table></div></section>\n");
    }

    static String cssClass(String status, boolean backup) {
        if (status.startsWith("MAINT")) {
            return "maint";
        }
        if (status.startsWith("DRAIN")) {
            return "drain";
        }
        if (status.startsWith("DOWN")) {
            return "down";
        }
        if (status.startsWith("no check")) {
            return backup ? "backup" : "nocheck";
        }
        return backup ? "backup" : "up";
    }

    private static String percentiles(Traffic t) {
        Histogram h = t.latency().recent();
        if (h.getTotalCount() == 0) {
            return "&ndash;";
        }
        return millis(h.getValueAtPercentile(50)) + " / " + millis(h.getValueAtPercentile(99)) + " / "
                + millis(h.getValueAtPercentile(99.9));
    }

    private static String millis(long micros) {
        if (micros < 10_000) {
            return String.format(java.util.Locale.ROOT, "%.2f ms", micros / 1000.0);
        }
        return (micros / 1000) + " ms";
    }

    static String bytes(long n) {
        if (n < 10_000) {
            return n + " B";
        }
        if (n < 10_000_000) {
            return (n / 1024) + " KiB";
        }
        if (n < 10_000_000_000L) {
            return (n / (1024 * 1024)) + " MiB";
        }
        return (n / (1024L * 1024 * 1024)) + " GiB";
    }

    static String duration(long seconds) {
        if (seconds < 120) {
            return seconds + "s";
        }
        if (seconds < 7200) {
            return (seconds / 60) + "m";
        }
        if (seconds < 172_800) {
            return (seconds / 3600) + "h" + (seconds % 3600 / 60) + "m";
        }
        return (seconds / 86_400) + "d" + (seconds % 86_400 / 3600) + "h";
    }

    private static String td(String html) {
        return "<td>" + html + "</td>";
    }

    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static final String CSS = """
            body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;padding:12px;\
            max-width:1400px;color:#1c1c1c;background:#fafafa}
            h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:18px 0 6px}h2 span{font-family:monospace}
            h2 small{color:#666;font-weight:normal}header p{margin:2px 0;color:#444}
            .legend span{display:inline-block;padding:1px 8px;margin-right:6px;border-radius:3px}
            .scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
            table{border-collapse:collapse;min-width:100%;background:#fff}
            th,td{border:1px solid #ddd;padding:3px 6px;text-align:right;white-space:nowrap;vertical-align:top}
            th{background:#33475b;color:#fff;font-weight:600;text-align:center}
            td:first-child,td:nth-child(2){text-align:left}
            .events td{text-align:left}
            .up{background:#d9f2d9}.down{background:#f6c9c9}.backup{background:#cfe3f7}
            .drain{background:#fbe3b3}.maint{background:#d9cdea}.nocheck{background:#eef5ee}
            tr.total{font-weight:600;border-top:2px solid #33475b}
            td small{color:#555;font-weight:normal}footer{margin:18px 0;color:#555}
            @media (max-width:600px){body{padding:6px;font-size:13px}th,td{padding:2px 4px}}
            """;
}
