package dev.sluice.discovery.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.List;

/** A service as the engine lists it (Docker Engine API 1.45's shape) read as reconfigure parameters. */
class ServiceLabelsTest {

    private static JsonNode service(String labels, String mode) throws Exception {
        return DockerHttp.JSON.readTree("{\"ID\":\"9mnpnzenvg8p8tdbtq4wvbkcz\",\"Version\":{\"Index\":19},"
                + "\"Spec\":{\"Name\":\"go-demo_main\",\"Labels\":{" + labels + "},"
                + "\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"vfarcic/go-demo\"}},\"Mode\":" + mode + "}}");
    }

    @Test
    void labelsBecomeParameters_likeTheSwarmListenerSendsThem() throws Exception {
        JsonNode s = service("\"com.df.notify\":\"true\",\"com.df.servicePath\":\"/demo\",\"com.df.port\":\"8080\","
                + "\"com.df.distribute\":\"true\",\"com.df.servicePath.1\":\"/v1\",\"com.docker.stack.namespace\":\"go-demo\","
                + "\"traefik.enable\":\"true\"", "{\"Replicated\":{\"Replicas\":3}}");

        assertThat(ServiceLabels.notify(s)).isTrue();
        assertThat(ServiceLabels.params(s)).containsExactly(
                java.util.Map.entry("serviceName", List.of("go-demo_main")),
                java.util.Map.entry("servicePath", List.of("/demo")),
                java.util.Map.entry("port", List.of("8080")),
                java.util.Map.entry("servicePath.1", List.of("/v1")),
                java.util.Map.entry("replicas", List.of("3")));
    }

    @Test
    void shortName_dropsTheStackPrefix_andAGlobalServiceHasNoReplicas() throws Exception {
        JsonNode s = service("\"com.df.notify\":\"TRUE\",\"com.df.shortName\":\"true\",\"com.df.servicePath\":\"/\","
                + "\"com.df.port\":\"80\",\"com.docker.stack.namespace\":\"go-demo\"", "{\"Global\":{}}");

        assertThat(ServiceLabels.params(s)).containsEntry("serviceName", List.of("main")).doesNotContainKey("replicas");
        assertThat(ServiceLabels.replicas(s)).isEqualTo(-1);
    }

    @Test
    void notifyMustBeTrue() throws Exception {
        assertThat(ServiceLabels.notify(service("\"com.df.notify\":\"yes\"", "{\"Global\":{}}"))).isFalse();
        assertThat(ServiceLabels.notify(service("", "{\"Global\":{}}"))).isFalse();
    }

    @Test
    void dockerHost_readsUnixAndTcp_andRefusesWhatItCannotSpeak() {
        assertThat(DockerHost.parse(null).address()).isEqualTo(UnixDomainSocketAddress.of("/var/run/docker.sock"));
        assertThat(DockerHost.parse("tcp://10.0.0.1:2375").address())
                .isEqualTo(InetSocketAddress.createUnresolved("10.0.0.1", 2375));
        assertThatThrownBy(() -> DockerHost.parse("tcp://10.0.0.1")).hasMessageContaining("expected: unix:///path");
        assertThatThrownBy(() -> DockerHost.parse("https://h:2376")).hasMessageContaining("TLS, ssh and named pipes are not supported");
        assertThatThrownBy(() -> DockerHost.parse("unix://relative")).hasMessageStartingWith("DOCKER_HOST: unix://relative");
    }

    @Test
    void apiVersionsCompareByNumber() {
        assertThat(DockerApi.compare("1.9", "1.41")).isNegative();
        assertThat(DockerApi.compare("1.45", "1.45")).isZero();
        assertThat(DockerApi.compare("1.47", DockerApi.MAX_VERSION)).isPositive();
    }
}
