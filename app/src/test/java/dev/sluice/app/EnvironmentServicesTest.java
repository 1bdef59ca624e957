package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

class EnvironmentServicesTest {

    private final List<String> warnings = new ArrayList<>();

    private List<Map<String, List<String>>> read(Map<String, String> env) {
        return EnvironmentServices.read(env, warnings::add);
    }

    @Test
    void noVariables_noServices() {
        assertThat(read(Map.of("PATH", "/bin", "DFP_SERVICE_PORT", "80"))).isEmpty();
        assertThat(warnings).singleElement().asString().startsWith("DFP_SERVICE_PORT is ignored");
    }

    @Test
    void unnumberedService_becomesUnsuffixedParameters() {
        List<Map<String, List<String>>> services = read(Map.of(
                "DFP_SERVICE_SERVICE_NAME", "web",
                "DFP_SERVICE_PORT", "8080",
                "DFP_SERVICE_SERVICE_PATH", "/api,/v2",
                "DFP_SERVICE_REQ_PATH_SEARCH_REPLACE", "/api,/",
                "DFP_SERVICE_HTTPS_ONLY", "true",
                "DFP_SERVICE_SERVICE_DOMAIN", "example.com",
                "DFP_SERVICE_ACL_NAME", "01-web"));

        assertThat(services).containsExactly(Map.of(
                "serviceName", List.of("web"),
                "port", List.of("8080"),
                "servicePath", List.of("/api,/v2"),
                "reqPathSearchReplace", List.of("/api,/"),
                "httpsOnly", List.of("true"),
                "serviceDomain", List.of("example.com"),
                "aclName", List.of("01-web")));
        assertThat(services.get(0).keySet()).first().isEqualTo("serviceName");
        assertThat(warnings).isEmpty();
    }

    @Test
    void numberedServices_followTheUnnumberedOne_upToTheFirstGap() {
        List<Map<String, List<String>>> services = read(Map.of(
                "DFP_SERVICE_1_SERVICE_NAME", "one", "DFP_SERVICE_1_PORT", "1",
                "DFP_SERVICE_2_SERVICE_NAME", "two", "DFP_SERVICE_2_PORT", "2",
                "DFP_SERVICE_4_SERVICE_NAME", "four", "DFP_SERVICE_4_PORT", "4",
                "DFP_SERVICE_SERVICE_NAME", "zero", "DFP_SERVICE_PORT", "0"));

        assertThat(services).extracting(s -> s.get("serviceName").get(0)).containsExactly("zero", "one", "two");
        assertThat(warnings).containsExactly(
                "DFP_SERVICE_4_PORT is ignored (services are numbered from 1 without a gap and "
                        + "DFP_SERVICE_3_SERVICE_NAME is not set)",
                "DFP_SERVICE_4_SERVICE_NAME is ignored (services are numbered from 1 without a gap and "
                        + "DFP_SERVICE_3_SERVICE_NAME is not set)");
    }

    @Test
    void indexedDestinations_becomeDotN_andNeedPathAndPort() {
        List<Map<String, List<String>>> services = read(Map.of(
                "DFP_SERVICE_1_SERVICE_NAME", "multi",
                "DFP_SERVICE_1_PORT_1", "80", "DFP_SERVICE_1_SERVICE_PATH_1", "/a", "DFP_SERVICE_1_SRC_PORT_1", "8081",
                "DFP_SERVICE_1_PORT_2", "81", "DFP_SERVICE_1_SERVICE_PATH_2", "/b", "DFP_SERVICE_1_REQ_MODE_2", "tcp",
                "DFP_SERVICE_1_PORT_3", "82"));

        assertThat(services).containsExactly(Map.of(
                "serviceName", List.of("multi"),
                "port.1", List.of("80"), "servicePath.1", List.of("/a"), "srcPort.1", List.of("8081"),
                "port.2", List.of("81"), "servicePath.2", List.of("/b"), "reqMode.2", List.of("tcp")));
        assertThat(warnings).singleElement().asString().startsWith("DFP_SERVICE_1_PORT_3 is ignored (indexed "
                + "destinations need both SERVICE_PATH_N and PORT_N");
    }

    @Test
    void unnumberedDestinationBesideIndexedOnes_becomesTheFirst_asInDockerFlowProxy() {
        List<Map<String, List<String>>> services = read(Map.of(
                "DFP_SERVICE_SERVICE_NAME", "web",
                "DFP_SERVICE_PORT", "80", "DFP_SERVICE_SERVICE_PATH", "/", "DFP_SERVICE_HTTPS_ONLY", "true",
                "DFP_SERVICE_OUTBOUND_HOSTNAME", "web.other",
                "DFP_SERVICE_PORT_1", "81", "DFP_SERVICE_SERVICE_PATH_1", "/admin"));

        assertThat(services).containsExactly(Map.of(
                "serviceName", List.of("web"),
                "outboundHostname", List.of("web.other"),
                "port.1", List.of("80"), "servicePath.1", List.of("/"), "httpsOnly.1", List.of("true"),
                "port.2", List.of("81"), "servicePath.2", List.of("/admin")));
    }

    @Test
    void destinationValuesWithoutPathOrPort_formNoDestination() {
        List<Map<String, List<String>>> services = read(Map.of(
                "DFP_SERVICE_1_SERVICE_NAME", "web", "DFP_SERVICE_1_HTTPS_ONLY", "true",
                "DFP_SERVICE_1_PORT_1", "81", "DFP_SERVICE_1_SERVICE_PATH_1", "/admin"));

        assertThat(services.get(0)).doesNotContainKeys("httpsOnly", "httpsOnly.1");
        assertThat(warnings).singleElement().asString().startsWith("DFP_SERVICE_1_HTTPS_ONLY is ignored");
    }

    @Test
    void serviceLevelNames_areCamelCase() {
        Map<String, List<String>> s = read(Map.of(
                "DFP_SERVICE_SERVICE_NAME", "web", "DFP_SERVICE_PORT", "80",
                "DFP_SERVICE_SERVICE_DOMAIN_ALGO", "hdr_end(host)", "DFP_SERVICE_SET_REQ_HEADER", "X-A 1",
                "DFP_SERVICE_IS_DEFAULT_BACKEND", "true", "DFP_SERVICE_REDIRECT_WHEN_HTTP_PROTO", "true",
                "DFP_SERVICE_DISCOVERYTYPE", "DNS", "DFP_SERVICE_REPLICAS", "3",
                "DFP_SERVICE_TEMPLATE_FE_PATH", "/t/fe.tmpl")).get(0);

        assertThat(s).containsEntry("serviceDomainAlgo", List.of("hdr_end(host)"))
                .containsEntry("setReqHeader", List.of("X-A 1"))
                .containsEntry("isDefaultBackend", List.of("true"))
                .containsEntry("redirectWhenHttpProto", List.of("true"))
                .containsEntry("discoveryType", List.of("DNS"))
                .containsEntry("replicas", List.of("3"))
                .containsEntry("templateFePath", List.of("/t/fe.tmpl"));
        assertThat(warnings).isEmpty();
    }

    @Test
    void serviceDomainMatchAll_isHdrDom_unlessAnAlgoIsGiven() {
        assertThat(read(Map.of("DFP_SERVICE_SERVICE_NAME", "web", "DFP_SERVICE_SERVICE_DOMAIN_MATCH_ALL", "TRUE"))
                .get(0)).containsEntry("serviceDomainAlgo", List.of("hdr_dom(host)"));
    }

    @Test
    void usersDistributeAndReplicasZero_areIgnoredWithAWarning() {
        List<Map<String, List<String>>> services = read(Map.of(
                "DFP_SERVICE_SERVICE_NAME", "web", "DFP_SERVICE_PORT", "80",
                "DFP_SERVICE_USERS", "alice:pw", "DFP_SERVICE_USERS_SECRET", "s",
                "DFP_SERVICE_DISTRIBUTE", "true", "DFP_SERVICE_REPLICAS", "0", "DFP_SERVICE_SERVCE_PATH", "/typo"));

        assertThat(services.get(0)).containsOnlyKeys("serviceName", "port");
        assertThat(warnings).hasSize(5);
        assertThat(warnings).anySatisfy(w -> assertThat(w).startsWith("DFP_SERVICE_USERS is ignored (users are not read"));
        assertThat(warnings).anySatisfy(w -> assertThat(w).startsWith("DFP_SERVICE_USERS_SECRET is ignored (users"));
        assertThat(warnings).anySatisfy(w -> assertThat(w).startsWith("DFP_SERVICE_DISTRIBUTE is ignored"));
        assertThat(warnings).anySatisfy(w -> assertThat(w).startsWith("DFP_SERVICE_REPLICAS is ignored"));
        assertThat(warnings).contains("DFP_SERVICE_SERVCE_PATH is ignored (not a variable Docker Flow Proxy reads "
                + "for a service)");
        assertThat(String.join("\n", warnings)).doesNotContain("alice:pw");
    }

    @Test
    void camel_convertsSnakeCase() {
        assertThat(EnvironmentServices.camel("SERVICE_PATH")).isEqualTo("servicePath");
        assertThat(EnvironmentServices.camel("REQ_PATH_SEARCH_REPLACE")).isEqualTo("reqPathSearchReplace");
        assertThat(EnvironmentServices.camel("HTTPS_ONLY")).isEqualTo("httpsOnly");
        assertThat(EnvironmentServices.camel("PORT")).isEqualTo("port");
    }
}
