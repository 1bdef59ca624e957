package dev.sluice.routing.service;

import static dev.sluice.routing.service.ServiceConfigsTest.base;
import static dev.sluice.routing.service.ServiceConfigsTest.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.ConfigRenderer;
import dev.sluice.routing.config.ProxyConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A build that reuses the services' parsed fragments gives what a build from scratch gives. */
class ServiceFragmentsTest {

    private final ServiceFragments fragments = new ServiceFragments();

    private ProxyConfig reused(ProxyConfig base, List<ServiceSpec> services) throws ServiceException {
        ProxyConfig kept = ServiceConfigs.build(base, services, ServiceDefaults.DFP, fragments);
        assertThat(kept).isEqualTo(ServiceConfigs.build(base, services, ServiceDefaults.DFP));
        return kept;
    }

    @Test
    void changesOneByOne_giveWhatAFreshBuildGives() throws Exception {
        List<ServiceSpec> services = new ArrayList<>();
        services.add(spec("serviceName=api&servicePath=/api&port=8080&users=u:p"));
        services.add(spec("serviceName=web&servicePath=/&port=80&isDefaultBackend=true"));
        services.add(spec("serviceName=chat&servicePath=/chat&serviceDomain=chat.example&port=3000"));
        services.add(spec("serviceName=db&port=5432&srcPort=5432&reqMode=tcp"));
        ProxyConfig first = reused(base(), services);
        assertThat(fragments.size()).isEqualTo(4);

        services.set(0, spec("serviceName=api&servicePath=/v2&port=8081"));
        ProxyConfig changed = reused(base(), services);
        assertThat(ConfigRenderer.render(changed)).contains("/v2").doesNotContain("path_beg /api").doesNotContain("apiUsers");
        assertThat(changed).isNotEqualTo(first);

        services.remove(1);
        ProxyConfig removed = reused(base(), services);
        assertThat(removed.backend("web-be80_0")).isNull();
        assertThat(removed.frontend(ServiceConfigs.SERVICES).defaultBackend()).isNull();
        assertThat(fragments.size()).as("the removed and the replaced service are forgotten").isEqualTo(3);

        reused(base(), List.of());
        assertThat(fragments.size()).isZero();
    }

    @Test
    void anotherDefaultsSection_parsesEveryServiceAgain() throws Exception {
        List<ServiceSpec> services = List.of(spec("serviceName=api&servicePath=/api&port=8080"));
        reused(base(), services);
        ProxyConfig slower = ConfigParser.parse(ServiceConfigsTest.BASE.replace("timeout server 20s", "timeout server 90s"),
                "base.cfg", Path.of(".")).config();
        ProxyConfig rebuilt = reused(slower, services);
        assertThat(ConfigRenderer.render(rebuilt)).contains("timeout server 90s");
    }

    @Test
    void twoServicesWithOneBackendName_areAConflict_andTheFirstStays() throws Exception {
        ServiceSpec a = spec("serviceName=a&aclName=same&servicePath=/a&port=80");
        ServiceSpec b = spec("serviceName=b&aclName=same&servicePath=/b&port=80");
        reused(base(), List.of(a));
        assertThatThrownBy(() -> ServiceConfigs.build(base(), List.of(a, b), ServiceDefaults.DFP, fragments))
                .isInstanceOf(ServiceException.class)
                .hasMessageContaining("backend 'same-be80_0' is also service a's")
                .satisfies(e -> assertThat(((ServiceException) e).status()).isEqualTo(409));
        assertThat(reused(base(), List.of(a)).backend("same-be80_0")).isNotNull();
    }

    @Test
    void aServiceWhoseLinesDoNotParse_isNamed_andNothingIsKeptForIt() throws Exception {
        ServiceSpec ok = spec("serviceName=ok&servicePath=/ok&port=80");
        ServiceSpec broken = spec("serviceName=bad&servicePath=/bad&port=80&addReqHeader=X-A on if { no_such_fetch }");
        assertThatThrownBy(() -> ServiceConfigs.build(base(), List.of(ok, broken), ServiceDefaults.DFP, fragments))
                .isInstanceOf(ServiceException.class).hasMessageStartingWith("service bad: ");
        assertThat(reused(base(), List.of(ok)).backend("ok-be80_0")).isNotNull();
        assertThat(fragments.size()).isEqualTo(1);
    }

    @Test
    void aServiceNamedDefault_keepsItsOwnUserlist() throws Exception {
        // its userlist is "defaultUsers", the name USERS' list would have
        ServiceSpec spec = spec("serviceName=default&servicePath=/d&port=80&users=u:p");
        ProxyConfig c = reused(base(), List.of(spec));
        assertThat(c.userlist("defaultUsers")).isNotNull();
        assertThat(dev.sluice.routing.RoutingCompiler.compile(c, null).backend("default-be80_0")).isNotNull();
    }

    @Test
    void aRefusedBuild_keepsNothingOfIt() throws Exception {
        ServiceSpec a = spec("serviceName=a&aclName=same&servicePath=/a&port=80");
        reused(base(), List.of(a));
        for (int i = 0; i < 5; i++) {
            ServiceSpec conflicting = spec("serviceName=b&aclName=same&servicePath=/b" + i + "&port=80");
            assertThatThrownBy(() -> ServiceConfigs.build(base(), List.of(a, conflicting), ServiceDefaults.DFP, fragments))
                    .isInstanceOf(ServiceException.class);
        }
        assertThat(fragments.size()).isEqualTo(1);
    }

    @Test
    void cleared_parsesEveryServiceAgain_soAnErrorFileIsReadAgain(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path page = dir.resolve("503.http");
        java.nio.file.Files.writeString(page, "HTTP/1.0 503 Service Unavailable\r\n\r\nold");
        String text = ServiceConfigsTest.BASE.replace("frontend services", "    errorfile 503 " + page + "\nfrontend services");
        List<ServiceSpec> services = List.of(spec("serviceName=api&servicePath=/api&port=8080"));
        ProxyConfig first = reused(ConfigParser.parse(text, "base.cfg", dir).config(), services);
        java.nio.file.Files.writeString(page, "HTTP/1.0 503 Service Unavailable\r\n\r\nNEW");
        ProxyConfig reread = ConfigParser.parse(text, "base.cfg", dir).config();
        fragments.clear();
        ProxyConfig second = ServiceConfigs.build(reread, services, ServiceDefaults.DFP, fragments);
        assertThat(second.backend("api-be8080_0")).isNotEqualTo(first.backend("api-be8080_0"));
        assertThat(second).isEqualTo(ServiceConfigs.build(reread, services, ServiceDefaults.DFP));
    }
}
