package dev.sluice.benchmarks.load;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The command line of {@link OpenLoop}: {@code --url http://HOST:PORT/PATH --rate N --connections N
 * --duration 20s --warmup 5s [--timeout 5s] [--out FILE]}.
 *
 * @param out where the percentile distribution of the corrected latency is written, or null
 */
record OpenLoopOptions(
        String host, int port, String path, double rate, int connections,
        long durationNanos, long warmupNanos, long timeoutNanos, Path out) {

    static final String USAGE = "usage: OpenLoop --url http://HOST:PORT/PATH --rate REQ_PER_S"
            + " [--connections 50] [--duration 20s] [--warmup 5s] [--timeout 5s] [--out FILE]";

    OpenLoopOptions {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("--rate: " + rate + " (expected: requests per second > 0)");
        }
        if (connections < 1 || connections > 10_000) {
            throw new IllegalArgumentException("--connections: " + connections + " (expected: 1-10000)");
        }
        if (durationNanos <= 0) {
            throw new IllegalArgumentException("--duration must be > 0");
        }
    }

    /** Parses the arguments; throws {@link IllegalArgumentException} saying which one is wrong. */
    static OpenLoopOptions parse(String... args) {
        Map<String, String> values = new TreeMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i];
            if (!name.startsWith("--")) {
                throw new IllegalArgumentException("'" + name + "' (expected an option such as --rate)");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " has no value");
            }
            values.put(name, args[i + 1]);
        }
        String url = take(values, "--url", null);
        if (url == null) {
            throw new IllegalArgumentException("--url is required");
        }
        String rate = take(values, "--rate", null);
        if (rate == null) {
            throw new IllegalArgumentException("--rate is required");
        }
        URI uri = uri(url);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        OpenLoopOptions options = new OpenLoopOptions(
                uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort(), path,
                number("--rate", rate),
                integer("--connections", take(values, "--connections", "50")),
                nanos("--duration", take(values, "--duration", "20s")),
                nanos("--warmup", take(values, "--warmup", "5s")),
                nanos("--timeout", take(values, "--timeout", "5s")),
                pathOrNull(take(values, "--out", null)));
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) " + values.keySet() + "; " + USAGE);
        }
        return options;
    }

    /** What goes on the wire for every request. */
    String request() {
        String hostHeader = host.contains(":") ? "[" + host + "]" : host;
        return "GET " + path + " HTTP/1.1\r\nHost: " + hostHeader + ":" + port + "\r\n\r\n";
    }

    private static String take(Map<String, String> values, String name, String fallback) {
        String value = values.remove(name);
        return value == null ? fallback : value;
    }

    private static URI uri(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--url: " + url + " (" + e.getMessage() + ")");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("--url: " + url + " (expected: http://HOST:PORT/PATH)");
        }
        return uri;
    }

    private static double number(String name, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": " + value + " (expected a number)");
        }
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": " + value + " (expected a whole number)");
        }
    }

    /** "20s", "500ms", "2m" or plain seconds. */
    static long nanos(String name, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        double unit = 1e9;
        if (v.endsWith("ms")) {
            unit = 1e6;
            v = v.substring(0, v.length() - 2);
        } else if (v.endsWith("s")) {
            v = v.substring(0, v.length() - 1);
        } else if (v.endsWith("m")) {
            unit = 60e9;
            v = v.substring(0, v.length() - 1);
        }
        double amount;
        try {
            amount = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": " + value + " (expected a duration such as 20s, 500ms, 2m)");
        }
        if (amount < 0) {
            throw new IllegalArgumentException(name + ": " + value + " (expected a duration >= 0)");
        }
        return (long) (amount * unit);
    }

    private static Path pathOrNull(String value) {
        return value == null ? null : Path.of(value);
    }
}
