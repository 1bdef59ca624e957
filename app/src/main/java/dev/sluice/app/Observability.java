package dev.sluice.app;

import dev.sluice.proxy.AccessLog;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Statistics and the access log, from Docker Flow Proxy's variables and two of Sluice's own.
 *
 * @param statsCredentials {@code STATS_USER}/{@code STATS_PASS}: what {@code /stats}, {@code /stats;csv} and
 *                         {@code /metrics} ask for; {@code null} when unset or {@code none}/{@code none} (open)
 * @param statsUri         {@code STATS_URI} (default {@code /admin?stats}): where the http frontends serve
 *                         the statistics, when STATS_USER and STATS_PASS are set ({@code null}: they do not)
 * @param accessLog        {@code DEBUG=true}: one access-log line per request (off by default)
 * @param logFormat        {@code LOG_FORMAT}: {@code httplog} (HAProxy's, the default) or {@code json}
 * @param logFile          {@code LOG_FILE}: where the lines go (appended); {@code null}: standard output
 */
record Observability(AdminCredentials statsCredentials, String statsUri, boolean accessLog,
                     AccessLog.Format logFormat, Path logFile) {

    static Observability from(Environment env) {
        String user = env.get("STATS_USER");
        String pass = env.get("STATS_PASS");
        if ((user == null) != (pass == null)) {
            String set = user == null ? "STATS_PASS" : "STATS_USER";
            String missing = user == null ? "STATS_USER" : "STATS_PASS";
            throw new IllegalArgumentException(set + " is set but " + missing
                    + " is not (expected both STATS_USER and STATS_PASS, none/none for no password, or neither)");
        }
        AdminCredentials stats = user == null || ("none".equals(user) && "none".equals(pass))
                ? null : new AdminCredentials(user, pass);
        String format = env.get("LOG_FORMAT", "httplog").toLowerCase(Locale.ROOT);
        AccessLog.Format f = switch (format) {
            case "httplog", "default" -> AccessLog.Format.HTTPLOG;
            case "json" -> AccessLog.Format.JSON;
            default -> throw new IllegalArgumentException("LOG_FORMAT: '" + format + "' (expected httplog or json)");
        };
        String file = env.get("LOG_FILE");
        String uri = env.get("STATS_URI", "/admin?stats");
        if (!uri.startsWith("/")) {
            throw new IllegalArgumentException("STATS_URI: '" + uri + "' (expected a path starting with '/')");
        }
        return new Observability(stats, user == null ? null : uri, env.bool("DEBUG", false), f, file == null ? null : Path.of(file));
    }
}
