package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.Bind;
import dev.sluice.routing.config.ConfigRenderer;
import dev.sluice.routing.config.ParseResult;
import dev.sluice.routing.config.ProxyConfig;
import dev.sluice.routing.service.ServiceConfigs;
import dev.sluice.routing.service.ServiceDefaults;
import dev.sluice.routing.service.ServiceParser;
import dev.sluice.routing.service.ServiceSpec;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the Docker Flow Proxy API generates, run in a real HAProxy and in Sluice side by side.
 *
 * <p>Each scenario is a pair of files in {@code app/src/test/resources/dfp/}:
 * <ul>
 *   <li>{@code NAME.calls}: {@code reconfigure} calls, one query string a line (an optional
 *       {@code /v1/docker-flow-proxy/reconfigure?} prefix is dropped; {@code %XX} is decoded,
 *       {@code +} is kept as it is), {@code #} comments naming the Docker Flow Proxy document the
 *       call comes from. A later call with the same serviceName replaces the earlier one, as
 *       {@code reconfigure} does.</li>
 *   <li>{@code NAME.requests}: the requests to send, in the format of
 *       {@code conf/examples/*.requests} ({@link ExampleRequest}); {@code port=} names a port of
 *       the proxy as Docker Flow Proxy would bind it (80, 443, a tcp srcPort).</li>
 * </ul>
 *
 * <p>The calls are parsed by {@link ServiceParser} and built by {@link ServiceConfigs} over the
 * embedded {@code conf/sluice.cfg} with frontend {@code services} bound on 80 and 443 (Docker Flow
 * Proxy's DEFAULT_PORTS; without certificates 443 is plain HTTP there too). The rendering — the
 * text {@code /v1/docker-flow-proxy/config} shows — is then run by {@link SideBySide}: every
 * {@code server} (a Swarm service name that does not resolve here) points at an echo backend of
 * its own, every bind at a free port, and both proxies must answer every request alike.
 */
class DfpDifferentialTest {

    private static final Path SCENARIOS = scenarioDir();
    private static final List<Bind> DFP_PORTS = List.of(new Bind(null, 80, false), new Bind(null, 443, false));
    private static final AtomicInteger COMPARED = new AtomicInteger();

    @BeforeAll
    static void haproxyIsInstalled() {
        SideBySide.assumeHaproxyInstalled();
    }

    @AfterAll
    static void summary() {
        System.out.println("DfpDifferentialTest: " + COMPARED.get() + " requests compared");
    }

    static List<String> scenarios() throws IOException {
        return SideBySide.names(SCENARIOS, ".calls");
    }

    @Test
    void everyScenarioComesWithCallsAndRequests() throws Exception {
        assertThat(scenarios()).hasSizeGreaterThanOrEqualTo(5);
        for (String scenario : scenarios()) {
            assertThat(calls(SCENARIOS.resolve(scenario + ".calls"))).as(scenario + ".calls").isNotEmpty();
            Path requests = SCENARIOS.resolve(scenario + ".requests");
            assertThat(requests).as("request list of " + scenario).exists();
            assertThat(ExampleRequest.readAll(requests)).as(requests.toString()).isNotEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void sluiceRoutesDfpServicesLikeHaproxy(String scenario) throws Exception {
        Map<String, ServiceSpec> services = new LinkedHashMap<>();
        for (Map<String, List<String>> call : calls(SCENARIOS.resolve(scenario + ".calls"))) {
            ServiceSpec spec = ServiceParser.parse(call, ServiceDefaults.DFP);
            assertThat(spec.warnings()).as("warnings for %s", call).isEmpty();
            services.put(spec.serviceName(), spec);
        }
        ProxyConfig config = ServiceConfigs.build(base(), services.values(), ServiceDefaults.DFP);
        String rendered = ConfigRenderer.render(config);
        List<ExampleRequest> requests = ExampleRequest.readAll(SCENARIOS.resolve(scenario + ".requests"));
        COMPARED.addAndGet(SideBySide.compare("dfp-" + scenario, ExampleConfig.of(scenario + ".cfg", rendered, SCENARIOS),
                                              requests));
    }

    /** The embedded configuration, frontend {@code services} on Docker Flow Proxy's ports. */
    private static ProxyConfig base() {
        ParseResult embedded = ConfigSource.load(null);
        assertThat(embedded.errors()).isEmpty();
        return embedded.config().withBinds(ServiceConfigs.SERVICES, DFP_PORTS);
    }

    /** The calls of a {@code .calls} file, each as the parameter map {@code reconfigure} receives. */
    static List<Map<String, List<String>>> calls(Path file) throws IOException {
        List<Map<String, List<String>>> calls = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String query = line.strip();
            if (query.isEmpty() || query.startsWith("#")) {
                continue;
            }
            int prefix = query.indexOf("reconfigure?");
            if (prefix >= 0) {
                query = query.substring(prefix + "reconfigure?".length());
            }
            Map<String, List<String>> params = new LinkedHashMap<>();
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                params.computeIfAbsent(decode(name), k -> new ArrayList<>()).add(decode(value));
            }
            calls.add(params);
        }
        return calls;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static Path scenarioDir() {
        try {
            return Path.of(DfpDifferentialTest.class.getResource("/dfp").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
