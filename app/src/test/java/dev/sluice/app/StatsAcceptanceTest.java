package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.app.SluiceProcess.Answer;
import dev.sluice.proxy.TestBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The statistics of a real process count what a client sent and received: requests and
 * responses by class on the frontend, backend and server rows of HAProxy's CSV and in the
 * Prometheus metrics, body bytes in and out, and one access-log line per request.
 */
class StatsAcceptanceTest {

    @RegisterExtension
    final SluiceProcesses sluices = new SluiceProcesses();

    @TempDir
    Path dir;

    @Test
    void countersEqualWhatTheClientSent_andEveryRequestIsLogged() throws Exception {
        try (TestBackend backend = TestBackend.start("app")) {
            int port = SluiceProcess.freePort();
            Path log = dir.resolve("access.log");
            SluiceProcess sluice = sluices.start("stats", Map.of("DEFAULT_PORTS", Integer.toString(port),
                    "STATS_USER", "stats", "STATS_PASS", "pass", "DEBUG", "true", "LOG_FORMAT", "json",
                    "LOG_FILE", log.toString()), dir.resolve("state"));
            Answer routed = sluice.get("/v1/docker-flow-proxy/reconfigure?serviceName=app&servicePath=/bytes,/upload&port="
                    + backend.port() + "&outboundHostname=127.0.0.1");
            assertThat(routed.status()).as("%s", routed).isEqualTo(200);

            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            long bytesOut = 0;
            for (int i = 0; i < 10; i++) {
                HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/bytes?n=1000")).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(r.statusCode()).isEqualTo(200);
                bytesOut += r.body().length;
            }
            for (int i = 0; i < 2; i++) {
                HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/upload")).POST(HttpRequest.BodyPublishers.ofByteArray(new byte[5000])).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(new String(r.body())).isEqualTo("received=5000");
                bytesOut += r.body().length;
            }
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/nowhere")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(503);
            }

            assertThat(sluice.get("/stats;csv").status()).as("STATS_USER/STATS_PASS are needed").isEqualTo(401);
            assertThat(sluice.getWithAuthorization("/stats;csv", SluiceProcess.basic("stats", "wrong")).status())
                    .isEqualTo(401);
            Answer csv = sluice.getWithAuthorization("/stats;csv", SluiceProcess.basic("stats", "pass"));
            assertThat(csv.status()).isEqualTo(200);
            List<String> lines = csv.body().lines().toList();
            List<String> header = List.of(lines.get(0).substring(2).split(",", -1));
            Map<String, List<String>> rows = new HashMap<>();
            for (String line : lines.subList(1, lines.size())) {
                List<String> f = List.of(line.split(",", -1));
                rows.put(f.get(0) + "/" + f.get(1), f);
            }
            List<String> frontend = rows.get("services/FRONTEND");
            assertThat(value(frontend, header, "req_tot")).isEqualTo("15");
            assertThat(value(frontend, header, "hrsp_2xx")).isEqualTo("12");
            assertThat(value(frontend, header, "hrsp_5xx")).isEqualTo("3");
            assertThat(value(frontend, header, "bin")).isEqualTo("10000");
            assertThat(value(frontend, header, "bout")).isEqualTo(Long.toString(bytesOut));
            String backendName = rows.keySet().stream().filter(k -> k.startsWith("app-be") && k.endsWith("/BACKEND"))
                    .findFirst().orElseThrow();
            List<String> be = rows.get(backendName);
            assertThat(value(be, header, "req_tot")).isEqualTo("12");
            assertThat(value(be, header, "hrsp_2xx")).isEqualTo("12");
            assertThat(value(be, header, "status")).isEqualTo("UP");
            String serverRow = rows.keySet().stream().filter(k -> k.startsWith(backendName.replace("/BACKEND", "/"))
                    && !k.endsWith("/BACKEND")).findFirst().orElseThrow();
            assertThat(value(rows.get(serverRow), header, "hrsp_2xx")).isEqualTo("12");
            assertThat(Long.parseLong(value(rows.get(serverRow), header, "connect"))
                    + Long.parseLong(value(rows.get(serverRow), header, "reuse"))).isEqualTo(12);

            Answer metrics = sluice.getWithAuthorization("/metrics", SluiceProcess.basic("stats", "pass"));
            assertThat(metrics.body()).contains("haproxy_frontend_http_requests_total{proxy=\"services\"} 15",
                    "haproxy_frontend_http_responses_total{proxy=\"services\",code=\"5xx\"} 3",
                    "sluice_backend_response_time_seconds_count{proxy=\"" + backendName.replace("/BACKEND", "")
                            + "\",server=\"\"} 12");

            // the frontends serve them too, at STATS_URI (default /admin?stats), as Docker Flow Proxy does
            dev.sluice.proxy.RawHttpClient.Response denied = Http.get(port, "/admin?stats");
            assertThat(denied.status()).isEqualTo(401);
            assertThat(denied.header("www-authenticate")).isEqualTo("Basic realm=\"HAProxy Statistics\"");
            dev.sluice.proxy.RawHttpClient.Response page = Http.get(port, "/admin?stats",
                    "Authorization: " + SluiceProcess.basic("stats", "pass"));
            assertThat(page.status()).isEqualTo(200);
            assertThat(new String(page.body())).contains("Sluice statistics", "Frontend <span>services</span>");
            dev.sluice.proxy.RawHttpClient.Response csvOnFrontend = Http.get(port, "/admin?stats;csv",
                    "Authorization: " + SluiceProcess.basic("stats", "pass"));
            assertThat(new String(csvOnFrontend.body())).startsWith(lines.get(0));

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(Files.readAllLines(log)).hasSize(18));
            List<String> logged = Files.readAllLines(log);
            assertThat(logged).allSatisfy(l -> assertThat(l).startsWith("{\"time\":").endsWith("}"));
            assertThat(logged.stream().filter(l -> l.contains("\"status\":503")).count()).isEqualTo(3);
            assertThat(logged.stream().filter(l -> l.contains("\"uri\":\"/upload\"") && l.contains("\"status\":200")))
                    .hasSize(2);
        }
    }

    private static String value(List<String> row, List<String> header, String field) {
        return row.get(header.indexOf(field));
    }
}
