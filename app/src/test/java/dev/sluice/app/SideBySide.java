package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.sluice.app.RawHttp.RawResponse;
import dev.sluice.routing.config.ConfigParser;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs one configuration in a real HAProxy and in Sluice side by side and sends the same
 * requests to both: the shared engine of {@link HaproxyDifferentialTest} (hand-written examples)
 * and {@link DfpDifferentialTest} (configurations generated from Docker Flow Proxy calls).
 * Every {@code server} is pointed at an {@link EchoBackends} server of its own, every bind at a
 * free port. It compares status, which backend answered (and, over the N requests of an
 * {@code N*} line, the same multiset of its servers), Location, WWW-Authenticate, the X-*
 * response headers, and what the server received (method, target, headers, echoed in the
 * body). All differences are reported together, each with the request and both answers.
 * {@code -Dsluice.diff.verbose=true} prints every exchange.
 */
final class SideBySide {

    /** {@code -Dsluice.diff.verbose=true} prints every request with both answers. */
    private static final boolean VERBOSE = Boolean.getBoolean("sluice.diff.verbose");

    private SideBySide() {
    }

    static void assumeHaproxyInstalled() {
        assertThat(Files.isExecutable(HaproxyProcess.EXECUTABLE))
                .as(HaproxyProcess.EXECUTABLE + " is missing: this test compares Sluice with a real HAProxy;"
                    + " install it with `apt-get install -y haproxy` (CI does)")
                .isTrue();
    }

    /** The names of the files in {@code dir} ending in {@code extension}, without it, sorted. */
    static List<String> names(Path dir, String extension) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString())
                        .filter(name -> name.endsWith(extension))
                        .map(name -> name.substring(0, name.length() - extension.length()))
                        .sorted()
                        .collect(Collectors.toList());
        }
    }

    /**
     * Sends {@code requests} to HAProxy and Sluice running {@code config}; fails with every
     * request answered differently. The runnable copies and HAProxy's output are kept in a
     * temporary directory when it fails.
     *
     * @param name names the configuration in messages and in the temporary files
     * @return how many requests were compared (an {@code N*} line counts N)
     */
    static int compare(String name, ExampleConfig config, List<ExampleRequest> requests) throws Exception {
        Path dir = Files.createTempDirectory("sluice-diff-" + name);
        boolean passed = false;
        try (EchoBackends backends = new EchoBackends(config.servers())) {
            List<Integer> free = freePorts(2 * config.bindPorts().size());
            Map<Integer, Integer> haproxyPorts = new HashMap<>();
            Map<Integer, Integer> sluicePorts = new HashMap<>();
            for (int i = 0; i < config.bindPorts().size(); i++) {
                haproxyPorts.put(config.bindPorts().get(i), free.get(2 * i));
                sluicePorts.put(config.bindPorts().get(i), free.get(2 * i + 1));
            }
            Path haproxyCopy = Files.writeString(dir.resolve(name + ".haproxy.cfg"),
                                                 config.remap(backends.ports(), haproxyPorts));
            Path sluiceCopy = Files.writeString(dir.resolve(name + ".sluice.cfg"),
                                                config.remap(backends.ports(), sluicePorts));

            var parsed = ConfigParser.parse(sluiceCopy);
            assertThat(parsed.errors()).as("Sluice rejects " + name).isEmpty();
            parsed.warnings().forEach(warning -> System.out.println("Sluice warns: " + warning));

            int sent = 0;
            try (HaproxyProcess haproxy = HaproxyProcess.start(haproxyCopy, List.copyOf(haproxyPorts.values()));
                 Sluice sluice = Sluice.start(parsed.config())) {
                List<String> mismatches = new ArrayList<>();
                for (ExampleRequest request : requests) {
                    compare(config, request, haproxyPorts, sluicePorts, mismatches);
                    sent += request.repeat();
                }
                if (!mismatches.isEmpty()) {
                    fail(String.format("%s: %d of %d request lines are answered differently by HAProxy"
                                       + " and Sluice (config copies in %s)%n%s", name, mismatches.size(),
                                       requests.size(), dir, String.join("\n", mismatches)));
                }
                passed = true;
            }
            return sent;
        } finally {
            if (passed) {
                deleteRecursively(dir);
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static void compare(ExampleConfig config, ExampleRequest request, Map<Integer, Integer> haproxyPorts,
                                Map<Integer, Integer> sluicePorts, List<String> mismatches) {
        int bindPort = request.bindPort() == 0 ? config.bindPorts().get(0) : request.bindPort();
        assertThat(haproxyPorts).as("port=%d of %s is not a bind port of the example", bindPort, request.line())
                                .containsKey(bindPort);
        InetSocketAddress haproxyAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), haproxyPorts.get(bindPort));
        InetSocketAddress sluiceAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), sluicePorts.get(bindPort));
        List<Answer> haproxyAnswers = new ArrayList<>();
        List<Answer> sluiceAnswers = new ArrayList<>();
        long haproxyNanos = 0;
        long sluiceNanos = 0;
        for (int i = 0; i < request.repeat(); i++) {
            long start = System.nanoTime();
            haproxyAnswers.add(Answer.of(RawHttp.send(haproxyAddress, request)));
            long middle = System.nanoTime();
            sluiceAnswers.add(Answer.of(RawHttp.send(sluiceAddress, request)));
            haproxyNanos += middle - start;
            sluiceNanos += System.nanoTime() - middle;
        }
        if (VERBOSE) {
            System.out.println("line " + request.lineNumber() + ": " + request.line()
                               + String.format(" (%d ms haproxy, %d ms sluice)", haproxyNanos / 1_000_000,
                                               sluiceNanos / 1_000_000)
                               + "\n    haproxy: " + haproxyAnswers + "\n    sluice:  " + sluiceAnswers);
        }
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < request.repeat(); i++) {
            for (String difference : haproxyAnswers.get(i).differences(sluiceAnswers.get(i))) {
                if (!differences.contains(difference)) {
                    differences.add(difference);
                }
            }
        }
        // A balancer may start its turn at another server than HAProxy's: which server of the
        // backend answered is compared as a multiset over the N requests of an "N*" line.
        if (request.repeat() > 1 && !servers(haproxyAnswers).equals(servers(sluiceAnswers))) {
            differences.add("servers " + servers(haproxyAnswers) + " vs " + servers(sluiceAnswers));
        }
        if (!differences.isEmpty()) {
            mismatches.add("line " + request.lineNumber() + ": " + request.line() + "\n"
                           + "    differs in: " + String.join("; ", differences) + "\n"
                           + "    haproxy: " + haproxyAnswers.get(0) + "\n"
                           + "    sluice:  " + sluiceAnswers.get(0));
        }
    }

    private static List<String> servers(List<Answer> answers) {
        return answers.stream()
                      .map(a -> String.valueOf(a.server()))
                      .sorted(Comparator.naturalOrder())
                      .collect(Collectors.toList());
    }

    private static List<Integer> freePorts(int count) throws IOException {
        java.util.Set<Integer> ports = new java.util.LinkedHashSet<>();
        for (int i = 0; ports.size() < count && i < 100 * count; i++) {
            ports.add(SluiceProcess.freePort()); // below the ephemeral range (see there); distinct
        }
        return new ArrayList<>(ports);
    }

    /**
     * What a client would notice of an answer. {@code body} is null where it is not compared:
     * redirects, and HAProxy's built-in error pages (their wording is HAProxy's own).
     */
    record Answer(int status, String server, String location, String authenticate,
                  Map<String, String> xHeaders, String contentType, String body, String error) {

        private static final String HAPROXY_BUILT_IN_PAGE = "<html><body><h1>";

        static Answer of(RawResponse response) {
            Map<String, String> xHeaders = new java.util.TreeMap<>();
            for (Map.Entry<String, String> header : response.headers()) {
                String name = header.getKey();
                if (name.startsWith("x-") && !name.equals("x-server") || name.equals("set-cookie")
                        || name.equals("cache-control")) {
                    xHeaders.put(name, response.header(name));
                }
            }
            return new Answer(response.status(), response.header("x-server"), response.header("location"),
                              response.header("www-authenticate"), xHeaders, response.header("content-type"),
                              response.body(), response.error());
        }

        /** How {@code other} differs from this answer (this one being HAProxy's). */
        List<String> differences(Answer other) {
            List<String> differences = new ArrayList<>();
            if (error != null) {
                differences.add("HAProxy failed (" + error + ")");
                return differences;
            }
            check(differences, "status", status, other.status);
            check(differences, "backend (X-Server)", backend(server), backend(other.server));
            check(differences, "Location", location, other.location);
            check(differences, "WWW-Authenticate", authenticate, other.authenticate);
            check(differences, "X-*, Set-Cookie and Cache-Control response headers", xHeaders, other.xHeaders);
            boolean redirect = status >= 300 && status < 400;
            if (!redirect && !body.startsWith(HAPROXY_BUILT_IN_PAGE)) {
                check(differences, "Content-Type", contentType, other.contentType);
                String mine = withoutSluiceExtensions(body);
                String theirs = withoutSluiceExtensions(other.body);
                if (!mine.equals(theirs)) {
                    differences.add(server != null ? "request seen by the server " + lineDiff(mine, theirs) : "body");
                }
            }
            return differences;
        }

        /**
         * Sluice's one documented addition to HAProxy's {@code option forwardfor}: it also sets
         * X-Forwarded-Proto and X-Forwarded-Port (replacing what a client sent). Everything else
         * the server sees must be identical.
         */
        private static String withoutSluiceExtensions(String echo) {
            return echo.lines()
                    .filter(l -> !l.toLowerCase(java.util.Locale.ROOT).contains("x-forwarded-proto")
                            && !l.toLowerCase(java.util.Locale.ROOT).contains("x-forwarded-port"))
                    .collect(Collectors.joining("\n"));
        }

        /** The echo lines only one side has, e.g. {@code [haproxy only: a=1; sluice only: a=2]}. */
        private static String lineDiff(String haproxy, String sluice) {
            List<String> haproxyLines = List.of(haproxy.split("\n"));
            List<String> sluiceLines = List.of(sluice.split("\n"));
            List<String> haproxyOnly = new ArrayList<>(haproxyLines);
            haproxyOnly.removeAll(sluiceLines);
            List<String> sluiceOnly = new ArrayList<>(sluiceLines);
            sluiceOnly.removeAll(haproxyLines);
            return "[haproxy only: " + String.join("; ", haproxyOnly) + " | sluice only: " + String.join("; ", sluiceOnly)
                   + "]";
        }

        private static String backend(String server) {
            return server == null ? null : server.substring(0, server.indexOf('/'));
        }

        private static void check(List<String> differences, String what, Object haproxy, Object sluice) {
            if (!Objects.equals(haproxy, sluice)) {
                differences.add(what);
            }
        }

        @Override
        public String toString() {
            if (error != null) {
                return "FAILED " + error;
            }
            StringBuilder text = new StringBuilder().append(status);
            if (server != null) {
                text.append(" X-Server=").append(server);
            }
            if (location != null) {
                text.append(" Location=").append(location);
            }
            if (authenticate != null) {
                text.append(" WWW-Authenticate=").append(authenticate);
            }
            if (!xHeaders.isEmpty()) {
                text.append(' ').append(xHeaders);
            }
            if (contentType != null) {
                text.append(" Content-Type=").append(contentType);
            }
            String shown = body.length() > 400 ? body.substring(0, 400) + "..." : body;
            return text.append(" body=\"").append(shown.replace("\r", "\\r").replace("\n", "\\n")).append('"')
                       .toString();
        }
    }
}
