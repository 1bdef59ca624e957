package dev.sluice.admin.stats;

import dev.sluice.routing.Backend;
import dev.sluice.routing.RoutingTable;
import dev.sluice.routing.Server;
import dev.sluice.routing.stats.Latency;
import org.HdrHistogram.Histogram;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The Prometheus text format with the metric names, labels, types and help of HAProxy's own
 * exporter ({@code haproxy_frontend_http_requests_total{proxy="web"}}, {@code haproxy_server_status{proxy,
 * server,state}}, ...), taken from the stats rows so both views always agree, plus what HAProxy's
 * exporter lacks: response-time histograms per backend and server, the routing table's generation,
 * and JVM and Netty memory.
 */
public final class StatsPrometheus {

    /** One metric of HAProxy's exporter: its stats field and how it is written. */
    private record Metric(String name, StatsRow.Type type, String kind, String field, String help) {
    }

    private static final List<Metric> METRICS = load();
    private static final List<String> FRONTEND_STATES = List.of("DOWN", "UP");
    private static final List<String> SERVER_STATES = List.of("DOWN", "UP", "MAINT", "DRAIN", "NOLB");
    private static final List<String> CHECK_STATES = List.of("HANA", "SOCKERR", "L4OK", "L4TOUT", "L4CON", "L6OK",
            "L6TOUT", "L6RSP", "L7TOUT", "L7RSP", "L7OK", "L7OKC", "L7STS", "PROCERR", "PROCTOUT", "PROCOK");
    /** Fields in milliseconds that HAProxy's exporter writes in seconds. */
    private static final Set<String> MILLIS = Set.of("rtime", "ttime", "rtime_max", "ttime_max", "check_duration");
    /** Histogram bounds in seconds. */
    private static final double[] BOUNDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
        5, 10, 30, 60};

    private StatsPrometheus() {
    }

    /**
     * @param directMemory Netty's direct memory in use (the data plane's pooled allocator)
     */
    public static String render(RoutingTable table, List<StatsRow> rows, LongSupplier directMemory) {
        StringBuilder out = new StringBuilder(4096 + rows.size() * 2048);
        for (Metric m : METRICS) {
            List<StatsRow> of = rows.stream().filter(r -> r.type() == m.type()).toList();
            if (of.isEmpty()) {
                continue;
            }
            StringBuilder lines = new StringBuilder();
            for (StatsRow row : of) {
                write(lines, m, row);
            }
            if (!lines.isEmpty()) {
                out.append("# HELP haproxy_").append(m.name()).append(' ').append(m.help()).append('\n');
                out.append("# TYPE haproxy_").append(m.name()).append(' ').append(m.kind()).append('\n');
                out.append(lines);
            }
        }
        histograms(out, table);
        own(out, table, directMemory);
        return out.toString();
    }

    private static void write(StringBuilder out, Metric m, StatsRow row) {
        String labels = labels(row);
        switch (m.field()) {
            case "status" -> {
                String status = row.get("status");
                String state = status.startsWith("MAINT") ? "MAINT" : status.equals("no check") || status.equals("OPEN")
                        ? "UP" : status;
                for (String s : row.type() == StatsRow.Type.SERVER ? SERVER_STATES : FRONTEND_STATES) {
                    line(out, m.name(), labels + ",state=\"" + s + "\"", s.equals(state) ? "1" : "0");
                }
            }
            case "check_status" -> {
                String status = row.get("check_status");
                if (status.isEmpty()) {
                    return;
                }
                for (String s : CHECK_STATES) {
                    line(out, m.name(), labels + ",state=\"" + s + "\"", s.equals(status) ? "1" : "0");
                }
            }
            case "hrsp_*" -> {
                if (row.isTcp()) {
                    return;
                }
                for (String code : List.of("1xx", "2xx", "3xx", "4xx", "5xx", "other")) {
                    line(out, m.name(), labels + ",code=\"" + code + "\"", row.get("hrsp_" + code));
                }
            }
            default -> {
                String v = row.get(m.field());
                if (v.isEmpty()) {
                    return;
                }
                if (MILLIS.contains(m.field())) {
                    v = seconds(Long.parseLong(v) / 1000.0);
                }
                line(out, m.name(), labels, v);
            }
        }
    }

    private static void histograms(StringBuilder out, RoutingTable table) {
        out.append("# HELP sluice_backend_response_time_seconds Time from the request to the end of the response, "
                + "per backend and server (server=\"\" for the backend as a whole)\n");
        out.append("# TYPE sluice_backend_response_time_seconds histogram\n");
        for (Backend b : table.backends().values().stream().sorted((x, y) -> x.name().compareTo(y.name())).toList()) {
            histogram(out, "proxy=\"" + escape(b.name()) + "\",server=\"\"", table.traffic().backend(b.name()).latency());
            for (Server s : b.servers()) {
                histogram(out, "proxy=\"" + escape(b.name()) + "\",server=\"" + escape(s.name()) + "\"",
                        s.state().traffic().latency());
            }
        }
    }

    private static void histogram(StringBuilder out, String labels, Latency latency) {
        Histogram h = latency.total();
        String name = "sluice_backend_response_time_seconds";
        for (double bound : BOUNDS) {
            long micros = (long) (bound * 1_000_000);
            long count = h.getTotalCount() == 0 ? 0 : h.getCountBetweenValues(0, micros);
            line(out, name + "_bucket", labels + ",le=\"" + java.math.BigDecimal.valueOf(bound).toPlainString() + "\"",
                    Long.toString(count));
        }
        line(out, name + "_bucket", labels + ",le=\"+Inf\"", Long.toString(h.getTotalCount()));
        line(out, name + "_sum", labels, seconds(h.getTotalCount() == 0 ? 0 : h.getMean() * h.getTotalCount() / 1e6));
        line(out, name + "_count", labels, Long.toString(h.getTotalCount()));
    }

    private static void own(StringBuilder out, RoutingTable table, LongSupplier directMemory) {
        gauge(out, "sluice_routing_generation", "The routing table's generation: one more with every change", "",
                Long.toString(table.generation()));
        gauge(out, "sluice_routing_info", "The routing table's content hash (equal on replicas that route alike)",
                "hash=\"" + escape(table.hash()) + "\"", "1");
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        out.append("# HELP sluice_jvm_memory_used_bytes JVM memory in use, by area\n");
        out.append("# TYPE sluice_jvm_memory_used_bytes gauge\n");
        line(out, "sluice_jvm_memory_used_bytes", "area=\"heap\"", Long.toString(heap.getUsed()));
        line(out, "sluice_jvm_memory_used_bytes", "area=\"nonheap\"", Long.toString(nonHeap.getUsed()));
        gauge(out, "sluice_jvm_memory_max_bytes", "The largest heap the JVM may use", "area=\"heap\"",
                Long.toString(heap.getMax()));
        gauge(out, "sluice_netty_direct_memory_used_bytes", "Direct (off-heap) memory held by Netty's buffers", "",
                Long.toString(directMemory.getAsLong()));
    }

    private static void gauge(StringBuilder out, String name, String help, String labels, String value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
        line(out, name, labels, value);
    }

    private static String labels(StatsRow row) {
        String labels = "proxy=\"" + escape(row.proxy()) + "\"";
        return row.type() == StatsRow.Type.SERVER ? labels + ",server=\"" + escape(row.name()) + "\"" : labels;
    }

    private static void line(StringBuilder out, String name, String labels, String value) {
        out.append(name.startsWith("sluice_") ? "" : "haproxy_").append(name);
        if (!labels.isEmpty()) {
            out.append('{').append(labels).append('}');
        }
        out.append(' ').append(value).append('\n');
    }

    private static String seconds(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** Label values: backslash, quote and new line escaped as the text format requires. */
    static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static List<Metric> load() {
        List<Metric> out = new ArrayList<>();
        for (String line : StatsFields.resourceLines("haproxy-metrics.txt")) {
            String[] p = line.split(" ", 4);
            StatsRow.Type type = StatsRow.Type.valueOf(p[0].substring(0, p[0].indexOf('_')).toUpperCase(java.util.Locale.ROOT));
            out.add(new Metric(p[0], type, p[1], p[2], p[3]));
        }
        return List.copyOf(out);
    }
}
