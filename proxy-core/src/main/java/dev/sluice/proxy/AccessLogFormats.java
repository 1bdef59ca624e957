package dev.sluice.proxy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The two line formats of the access log. Called only by the log's writer thread. */
final class AccessLogFormats {

    /** HAProxy's {@code %tr}: {@code 25/Nov/2026:16:30:00.123}. */
    private static final DateTimeFormatter HAPROXY_DATE =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);

    private AccessLogFormats() {
    }

    /**
     * HAProxy's {@code option httplog}:
     * {@code %ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %{+Q}r}
     * (no captured headers, so no {@code %hr %hs}; Sluice has no queue, so %Tw, %sq and %bq are 0).
     */
    static void httplog(AccessLogEntry e, StringBuilder out) {
        out.append(e.clientIp()).append(':').append(e.clientPort())
                .append(" [").append(HAPROXY_DATE.format(Instant.ofEpochMilli(e.acceptMillis()))).append("] ")
                .append(e.frontend()).append(e.tls() ? "~ " : " ")
                .append(orDash(e.backend())).append('/').append(orDash(e.server())).append(' ')
                .append(e.requestMs()).append("/0/").append(e.connectMs()).append('/').append(e.responseMs())
                .append('/').append(e.totalMs()).append(' ')
                .append(e.status()).append(' ').append(e.bytesOut()).append(" - - ").append(e.termination()).append(' ')
                .append(e.frontendConnections()).append('/').append(e.frontendConnections()).append("/0/")
                .append(e.serverConnections()).append('/').append(e.retries()).append(" 0/0 \"");
        appendPrintable(out, e.method());
        out.append(' ');
        appendPrintable(out, e.uri());
        out.append(' ');
        appendPrintable(out, e.version());
        out.append('"');
    }

    /** One JSON object: the same facts with names, times in ms. */
    static void json(AccessLogEntry e, StringBuilder out) {
        out.append("{\"time\":\"").append(Instant.ofEpochMilli(e.acceptMillis())).append('"');
        field(out, "client_ip", e.clientIp());
        out.append(",\"client_port\":").append(e.clientPort());
        field(out, "frontend", e.frontend());
        out.append(",\"tls\":").append(e.tls());
        field(out, "backend", e.backend());
        field(out, "server", e.server());
        field(out, "method", e.method());
        field(out, "uri", e.uri());
        field(out, "version", e.version());
        out.append(",\"status\":").append(e.status())
                .append(",\"bytes_out\":").append(e.bytesOut())
                .append(",\"request_ms\":").append(e.requestMs())
                .append(",\"connect_ms\":").append(e.connectMs())
                .append(",\"response_ms\":").append(e.responseMs())
                .append(",\"total_ms\":").append(e.totalMs())
                .append(",\"retries\":").append(e.retries());
        field(out, "termination", e.termination());
        out.append('}');
    }

    private static void field(StringBuilder out, String name, String value) {
        out.append(",\"").append(name).append("\":");
        if (value == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Control characters and quotes as HAProxy escapes them in a log line ({@code #XX}). */
    private static void appendPrintable(StringBuilder out, String s) {
        if (s == null) {
            out.append('-');
            return;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '#' || c == 0x7f) {
                out.append('#').append(String.format(Locale.ROOT, "%02X", (int) c));
            } else {
                out.append(c);
            }
        }
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "<NOSRV>" : s;
    }
}
