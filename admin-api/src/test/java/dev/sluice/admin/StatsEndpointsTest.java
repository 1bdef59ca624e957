package dev.sluice.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.ParseResult;
import dev.sluice.routing.config.ProxyConfig;
import dev.sluice.routing.service.ServiceDefaults;
import dev.sluice.routing.stats.Traffic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The statistics endpoints of the admin port: HAProxy's CSV (the header and, row type by row type,
 * the same fields filled or blank as a real HAProxy 2.6 writes them), Prometheus text that a
 * Prometheus parser reads, the page, and STATS_USER/STATS_PASS.
 */
class StatsEndpointsTest {

    /** The configuration the HAProxy sample (src/test/resources/haproxy-2.6-stats.csv) was taken with. */
    private static final String CONFIG = """
            defaults
                mode http
                timeout connect 1s
                timeout client 5s
                timeout server 5s
            frontend fe
                default_backend be
            backend be
                server s1 127.0.0.1:9 check
                server s2 127.0.0.1:9
                server s3 127.0.0.1:9 maxconn 10 weight 5 backup
                server s4 127.0.0.1:9 disabled
            backend tcpbe
                mode tcp
                server t1 127.0.0.1:9
            """;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ServiceRegistry registry;
    private AdminServer admin;

    @BeforeEach
    void setUp() throws Exception {
        ParseResult parsed = ConfigParser.parse(CONFIG, "stats.cfg", Path.of("."));
        ProxyConfig base = parsed.config();
        registry = new ServiceRegistry(base, () -> base, ServiceDefaults.DFP, s -> { }, List.of(), List.of(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        admin = AdminServer.start("127.0.0.1", 0, registry, new AdminAuth("admin", "secret"), null,
                new AdminAuth("stats", "pass"));
        // as the health checks leave a server whose port is closed
        registry.table().backend("be").servers().get(0).state().markDown("Layer4 connection refused");
        registry.table().backend("be").servers().get(0).state().lastCheck("Layer4 connection refused");
        Traffic fe = registry.table().traffic().frontend("fe");
        fe.increment(0, Traffic.SESSIONS);
        fe.increment(0, Traffic.REQUESTS);
        fe.increment(0, Traffic.REQUESTS);
        fe.response(0, 200);
        fe.response(0, 503);
        fe.add(0, Traffic.BYTES_IN, 246);
        Traffic s2 = registry.table().backend("be").servers().get(1).state().traffic();
        s2.response(-1, 200);
        s2.latency().record(-1, 1500);
    }

    @AfterEach
    void tearDown() {
        admin.close();
        registry.close();
    }

    @Test
    void csv_hasHaproxysHeader_andFillsTheFieldsHaproxyFills() throws Exception {
        List<String> haproxy = lines(getClass().getResourceAsStream("/haproxy-2.6-stats.csv"));
        HttpResponse<String> r = get("/stats;csv", "stats", "pass");
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> sluice = r.body().lines().toList();
        assertThat(sluice.get(0)).isEqualTo(haproxy.get(0));

        Map<String, List<String>> ours = byName(sluice);
        Map<String, List<String>> theirs = byName(haproxy);
        List<String> header = List.of(haproxy.get(0).substring(2).split(",", -1));
        for (String row : List.of("fe,FRONTEND", "be,s1", "be,s2", "be,s3", "be,s4", "be,BACKEND", "tcpbe,t1",
                "tcpbe,BACKEND")) {
            List<String> blank = blanks(ours.get(row), header);
            List<String> expected = blanks(theirs.get(row), header);
            if (!row.endsWith("FRONTEND") && !row.endsWith("BACKEND")) {
                expected.remove("addr"); // Sluice tells each server's address; HAProxy 2.6 leaves it blank
            }
            if (row.endsWith("FRONTEND") || row.endsWith("BACKEND")) {
                // HAProxy derives these limits from its process-wide maxconn; Sluice has none unless one is set
                expected.add("slim");
            }
            assertThat(blank).as("blank fields of %s", row).containsExactlyInAnyOrderElementsOf(expected);
        }
        // the same states HAProxy showed for the same configuration
        for (String row : List.of("be,s1", "be,s2", "be,s3", "be,s4", "be,BACKEND", "tcpbe,t1", "fe,FRONTEND")) {
            for (String field : List.of("status", "weight", "act", "bck", "slim", "mode", "type", "check_rise",
                    "check_fall", "check_health")) {
                if ((row.endsWith("FRONTEND") || row.endsWith("BACKEND")) && field.equals("slim")) {
                    continue; // HAProxy derives these limits from the process's; Sluice has none unless set
                }
                int i = header.indexOf(field);
                assertThat(ours.get(row).get(i)).as("%s of %s", field, row).isEqualTo(theirs.get(row).get(i));
            }
        }
        List<String> fe = ours.get("fe,FRONTEND");
        assertThat(fe.get(header.indexOf("req_tot"))).isEqualTo("2");
        assertThat(fe.get(header.indexOf("hrsp_2xx"))).isEqualTo("1");
        assertThat(fe.get(header.indexOf("hrsp_5xx"))).isEqualTo("1");
        assertThat(fe.get(header.indexOf("bin"))).isEqualTo("246");
        assertThat(ours.get("be,s2").get(header.indexOf("hrsp_2xx"))).isEqualTo("1");

        // Docker Flow Proxy's metrics endpoint answers the same CSV
        assertThat(get("/v1/docker-flow-proxy/metrics", "stats", "pass").body().lines().findFirst())
                .contains(haproxy.get(0));
    }

    @Test
    void metrics_areReadByAPrometheusParser_withHaproxysNames() throws Exception {
        HttpResponse<String> r = get("/metrics", "stats", "pass");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        String parsed = parseWithPrometheusClient(r.body());
        assertThat(parsed).contains(
                "haproxy_frontend_http_requests_total{'proxy': 'fe'} 2.0",
                "haproxy_frontend_http_responses_total{'proxy': 'fe', 'code': '5xx'} 1.0",
                "haproxy_server_status{'proxy': 'be', 'server': 's1', 'state': 'DOWN'} 1.0",
                "haproxy_server_status{'proxy': 'be', 'server': 's4', 'state': 'MAINT'} 1.0",
                "haproxy_backend_active_servers{'proxy': 'be'} 1.0",
                "sluice_backend_response_time_seconds_bucket{'proxy': 'be', 'server': 's2', 'le': '0.0025'} 1.0",
                "sluice_backend_response_time_seconds_count{'proxy': 'be', 'server': 's2'} 1.0",
                "sluice_routing_generation 1.0");
    }

    @Test
    void statsNeedStatsCredentials_notTheAdminOnes() throws Exception {
        assertThat(get("/stats", null, null).statusCode()).isEqualTo(401);
        assertThat(get("/stats", "stats", "wrong").statusCode()).isEqualTo(401);
        assertThat(get("/metrics", "admin", "secret").statusCode()).isEqualTo(401);
        HttpResponse<String> page = get("/stats", "stats", "pass");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Backend <span>be</span>", "s1", "DOWN", "no check", "MAINT",
                "Layer4 connection refused", "routing generation");
        // and the admin API itself still needs the admin credentials
        assertThat(get("/v1/docker-flow-proxy/config", "stats", "pass").statusCode()).isEqualTo(401);
    }

    @Test
    void page_rendersInAHeadlessChromium(@TempDir Path dir) throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        assertThat(Files.isExecutable(chromium)).as("/usr/bin/chromium (apt-get install -y chromium; CI does)").isTrue();
        try (AdminServer open = AdminServer.start("127.0.0.1", 0, registry, null, null, null)) {
            String url = "http://127.0.0.1:" + open.port() + "/stats";
            String dom = chromium(chromium, dir, "--dump-dom", url);
            assertThat(dom).contains("Sluice statistics", "Frontend <span>fe</span>", "Backend <span>be</span>",
                    "Layer4 connection refused", "class=\"down\"", "class=\"maint\"", "class=\"backup\"",
                    "1.50 ms"); // s2's one response time, as p50/p99/p99.9
            Path png = dir.resolve("stats.png");
            chromium(chromium, dir, "--screenshot=" + png, "--window-size=1280,900", url);
            assertThat(png).exists();
            assertThat(Files.size(png)).isGreaterThan(10_000);
            // a phone's width: the page still renders, tables scroll sideways
            Path phone = dir.resolve("phone.png");
            chromium(chromium, dir, "--screenshot=" + phone, "--window-size=390,844", url);
            assertThat(phone).exists();
        }
    }

    private static String chromium(Path chromium, Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--user-data-dir=" + dir.resolve("profile")));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(dir.resolve("chromium.log").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        return out;
    }

    private HttpResponse<String> get(String path, String user, String password) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + path))
                .timeout(Duration.ofSeconds(10));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Debian's python3-prometheus-client parses the text, one sample per line: {@code name{labels} value}. */
    private static String parseWithPrometheusClient(String text) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        assertThat(Files.isExecutable(python)).as("/usr/bin/python3 with python3-prometheus-client "
                + "(apt-get install -y python3-prometheus-client; CI does)").isTrue();
        Process p = new ProcessBuilder(python.toString(), "-c", """
                import sys
                from prometheus_client.parser import text_string_to_metric_families
                for family in text_string_to_metric_families(sys.stdin.read()):
                    for s in family.samples:
                        print(s.name + str(s.labels if s.labels else '') + ' ' + str(float(s.value)))
                """).redirectErrorStream(true).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("the parser's output: %s", out).isZero();
        return out;
    }

    private static List<String> lines(InputStream in) throws Exception {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    private static Map<String, List<String>> byName(List<String> csv) {
        Map<String, List<String>> rows = new HashMap<>();
        for (String line : csv.subList(1, csv.size())) {
            List<String> fields = List.of(line.split(",", -1));
            rows.put(fields.get(0) + "," + fields.get(1), fields);
        }
        return rows;
    }

    /** The names of the blank fields of a row. */
    private static List<String> blanks(List<String> fields, List<String> header) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).isEmpty()) {
                out.add(header.get(i));
            }
        }
        return out;
    }
}
