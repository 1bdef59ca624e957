package dev.sluice.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.routing.HttpLimits;
import dev.sluice.routing.RoutingTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

class AdminServerTest {

    private static final RoutingTable TABLE = new RoutingTable(7, "0123456789abcdef", List.of(), Map.of(),
            HttpLimits.DEFAULT, 0);

    private static final String CONFIG = "frontend services\n    bind *:80\n";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private AdminServer admin;

    @AfterEach
    void tearDown() {
        if (admin != null) {
            admin.close();
        }
    }

    private HttpResponse<String> call(String method, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void ping_answersUnderBothPrefixes_withAnyMethod_andShowsTheTable() throws Exception {
        admin = AdminServer.start("127.0.0.1", 0, () -> TABLE, () -> CONFIG);
        for (String prefix : AdminServer.PREFIXES) {
            for (String method : List.of("GET", "POST", "PUT")) {
                HttpResponse<String> r = call(method, prefix + "/ping");
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
                assertThat(r.body()).isEqualTo("{\"Status\":\"OK\",\"Generation\":7,\"Hash\":\"0123456789abcdef\"}");
            }
        }
    }

    @Test
    void endpointsNotBuiltYet_answer501WithAMessage_andUnknownPathsAre404() throws Exception {
        admin = AdminServer.start("127.0.0.1", 0, () -> TABLE, () -> CONFIG);
        HttpResponse<String> r = call("GET", "/v1/docker-flow-proxy/reconfigure?serviceName=a&servicePath=/a&port=80");
        assertThat(r.statusCode()).isEqualTo(501);
        assertThat(r.body()).contains("\"Status\":\"NOK\"", "reconfigure", "not built yet");
        assertThat(call("GET", "/v1/proxy/nonsense").statusCode()).isEqualTo(404);
    }

    @Test
    void aTakenPort_isReportedWithThePortAndWhatToDo() throws Exception {
        admin = AdminServer.start("127.0.0.1", 0, () -> TABLE, () -> CONFIG);
        assertThatThrownBy(() -> AdminServer.start("127.0.0.1", admin.port(), () -> TABLE, () -> CONFIG))
                .isInstanceOf(AdminBindException.class)
                .hasMessageContaining("127.0.0.1:" + admin.port())
                .hasMessageContaining("ADMIN_PORT");
    }

    @Test
    void config_rendersTheEffectiveConfiguration_andJsonIsNotBuiltYet() throws Exception {
        admin = AdminServer.start("127.0.0.1", 0, () -> TABLE, () -> CONFIG);
        HttpResponse<String> r = call("GET", "/v1/proxy/config");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(CONFIG);
        assertThat(call("GET", "/v1/docker-flow-proxy/config?type=json").statusCode()).isEqualTo(501);
    }
}
