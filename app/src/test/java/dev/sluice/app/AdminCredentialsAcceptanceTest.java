package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.app.SluiceProcess.Answer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** With {@code ADMIN_USER} and {@code ADMIN_PASS} set, the admin API answers only those credentials. */
class AdminCredentialsAcceptanceTest {

    @RegisterExtension
    final SluiceProcesses sluices = new SluiceProcesses();

    @TempDir
    Path stateDir;

    @Test
    void adminCalls_withoutOrWithWrongCredentials_get401_andChangeNothing() throws Exception {
        try (Origins origins = new Origins()) {
            SluiceProcess sluice = sluices.start("admin-credentials",
                    Map.of("ADMIN_USER", "admin", "ADMIN_PASS", "secret"), stateDir);
            String reconfigure = "/v1/docker-flow-proxy/reconfigure?serviceName=guarded&servicePath=/guarded&port="
                    + origins.get("guarded").port() + "&outboundHostname=127.0.0.1";
            JsonObject before = sluice.get("/v1/docker-flow-proxy/ping").json();

            for (String call : List.of(reconfigure, "/v1/docker-flow-proxy/remove?serviceName=guarded",
                    "/v1/docker-flow-proxy/config", "/v1/docker-flow-proxy/config?type=json",
                    "/v1/proxy/reconfigure?serviceName=guarded&servicePath=/guarded&port=9")) {
                Answer anonymous = sluice.getWithAuthorization(call, null);
                assertThat(anonymous.status()).as("%s without credentials: %s", call, anonymous).isEqualTo(401);
                Answer wrong = sluice.getWithAuthorization(call, SluiceProcess.basic("admin", "guess"));
                assertThat(wrong.status()).as("%s with a wrong password: %s", call, wrong).isEqualTo(401);
                Answer stranger = sluice.getWithAuthorization(call, SluiceProcess.basic("root", "secret"));
                assertThat(stranger.status()).as("%s as another user: %s", call, stranger).isEqualTo(401);
            }

            JsonObject after = sluice.get("/v1/docker-flow-proxy/ping").json();
            assertThat(after.getValue("Generation")).isEqualTo(before.getValue("Generation"));
            assertThat(after.getString("Hash")).isEqualTo(before.getString("Hash"));
            assertThat(Http.servedBy(sluice.proxyPort(), "/guarded")).isEqualTo("status 503");

            Answer allowed = sluice.getWithAuthorization(reconfigure, SluiceProcess.basic("admin", "secret"));
            assertThat(allowed.status()).as("%s", allowed).isEqualTo(200);
            assertThat(Http.servedBy(sluice.proxyPort(), "/guarded")).isEqualTo("guarded");
            assertThat(sluice.getWithAuthorization("/v1/docker-flow-proxy/config?type=json",
                    SluiceProcess.basic("admin", "secret")).status()).isEqualTo(200);
            assertThat(sluice.output()).as("the process's output").doesNotContain("secret");
        }
    }
}
