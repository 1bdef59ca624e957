package dev.sluice.routing.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.routing.RoutingCompiler;
import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.ConfigRenderer;
import dev.sluice.routing.config.ParseResult;
import dev.sluice.routing.config.ProxyConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

class ServiceConfigsTest {

    static final String BASE = """
            defaults
                mode http
                timeout connect 5s
                timeout client 20s
                timeout server 20s
                option forwardfor
            frontend services
                bind :8000
            """;

    static ProxyConfig base() {
        ParseResult r = ConfigParser.parse(BASE, "base.cfg", Path.of("."));
        assertThat(r.errors()).isEmpty();
        return r.config();
    }

    static Map<String, List<String>> q(String query) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            m.computeIfAbsent(pair.substring(0, eq), k -> new ArrayList<>()).add(pair.substring(eq + 1));
        }
        return m;
    }

    static ServiceSpec spec(String query) throws ServiceException {
        return ServiceParser.parse(q(query), ServiceDefaults.DFP);
    }

    @Test
    void dockerFlowProxysExampleRendersItsBackendAndRules() throws Exception {
        ProxyConfig c = ServiceConfigs.build(base(), List.of(spec(
                "serviceName=go-demo_main&servicePath=/demo&port=8080&serviceDomain=ex.com&httpsOnly=true&users=u:p")),
                ServiceDefaults.DFP);
        String text = ConfigRenderer.render(c);
        assertThat(text).contains("acl url_go-demo_main8080_0 path_beg /demo")
                .contains("acl domain_go-demo_main8080_0 hdr_beg(host) -i ex.com")
                .contains("use_backend go-demo_main-be8080_0 if url_go-demo_main8080_0 domain_go-demo_main8080_0")
                .contains("backend go-demo_main-be8080_0")
                .contains("server go-demo_main go-demo_main:8080")
                .contains("http-request del-header Authorization");
        assertThat(ConfigParser.parse(text, "x", Path.of(".")).config()).isEqualTo(c);
        RoutingCompiler.compile(c, null);
    }

    @Test
    void servicesFollowDockerFlowProxysOrder() throws Exception {
        ProxyConfig c = ServiceConfigs.build(base(), List.of(
                spec("serviceName=root&servicePath=/&port=1"),
                spec("serviceName=b&servicePath=/b&port=2"),
                spec("serviceName=acme&servicePath=/.well-known/acme-challenge&port=3"),
                spec("serviceName=a&servicePath=/a&port=4")), ServiceDefaults.DFP);
        List<String> order = c.frontend("services").useBackends().stream().map(u -> u.backend()).toList();
        assertThat(order).containsExactly("acme-be3_0", "a-be4_0", "b-be2_0", "root-be1_0");
    }

    @Test
    void tcpServiceOpensItsOwnFrontend() throws Exception {
        ProxyConfig c = ServiceConfigs.build(base(), List.of(spec("serviceName=redis&reqMode=tcp&srcPort=6379&port=6379")),
                ServiceDefaults.DFP);
        assertThat(c.frontend("tcpFE_6379")).isNotNull();
        assertThat(c.frontend("tcpFE_6379").defaultBackend()).isEqualTo("redis-be6379_0");
        RoutingCompiler.compile(c, null);
    }

    @Test
    void headerConditionStaysACondition() throws Exception {
        // Docker Flow Proxy's documented addReqHeader example: the header is added over TLS only.
        ProxyConfig c = ServiceConfigs.build(base(), List.of(spec("serviceName=s&servicePath=/s&port=80"
                + "&addReqHeader=X-Forwarded-Ssl on if { ssl_fc }&setResHeader=X-Plain a b unless { ssl_fc }")),
                ServiceDefaults.DFP);
        String text = ConfigRenderer.render(c);
        assertThat(text).contains("http-request add-header X-Forwarded-Ssl on if { ssl_fc }")
                .contains("http-response set-header X-Plain \"a b\" unless { ssl_fc }")
                .doesNotContain("\"on if");
        assertThat(ConfigParser.parse(text, "x", Path.of(".")).config()).isEqualTo(c);
    }

    @Test
    void headerWithABrokenConditionIsRefused() {
        assertThatThrownBy(() -> ServiceConfigs.build(base(), List.of(spec("serviceName=s&servicePath=/s&port=80"
                + "&addReqHeader=X-A on if { no_such_fetch }")), ServiceDefaults.DFP))
                .isInstanceOf(ServiceException.class).hasMessageContaining("service s");
    }

    @Test
    void everyParameterTogetherCompiles() throws Exception {
        ProxyConfig c = ServiceConfigs.build(base(), List.of(spec("serviceName=all&servicePath.1=/one&port.1=81"
                + "&servicePath.2=/two&port.2=82&pathType.2=path_reg&servicePathExclude=/one/private"
                + "&serviceDomain=*.example.com&httpsRedirectCode=308&redirectFromDomain=old.example.com"
                + "&addReqHeader=X-A one,X-B two&setReqHeader=X-C three&delReqHeader=X-D&addResHeader=X-E five"
                + "&setResHeader=X-F six&delResHeader=Server&reqPathSearchReplace=/one/,/:^/two,/2"
                + "&allowedMethods=GET,POST&deniedMethods=DELETE&serviceHeader=X-Version:2&userAgent=curl"
                + "&timeoutServer=30&timeoutTunnel=7200&connectionMode=http-server-close&isDefaultBackend=true"
                + "&redirectWhenHttpProto=true&outboundHostname=10.0.0.7&aclName=zz")), ServiceDefaults.DFP);
        String text = ConfigRenderer.render(c);
        assertThat(text).contains("hdr_end(host) -i .example.com").contains("default_backend zz-be82_2")
                .contains("server all 10.0.0.7:81");
        RoutingCompiler.compile(c, null);
        assertThat(ConfigParser.parse(text, "x", Path.of(".")).config()).isEqualTo(c);
    }

    @Test
    void secondServiceOnTheSameTcpPortIsAConflict() throws Exception {
        assertThatThrownBy(() -> ServiceConfigs.build(base(), List.of(
                spec("serviceName=a&reqMode=tcp&srcPort=7000&port=1"),
                spec("serviceName=b&reqMode=tcp&srcPort=7000&port=2")), ServiceDefaults.DFP))
                .isInstanceOf(ServiceException.class).hasMessageContaining("srcPort 7000 is already taken by service a");
    }
}
