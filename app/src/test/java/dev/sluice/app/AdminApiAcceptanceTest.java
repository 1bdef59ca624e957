package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.app.SluiceProcess.Answer;
import dev.sluice.proxy.RawHttpClient.Response;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Docker Flow Proxy's admin API on a live routing table, as a user of Docker Flow Proxy drives it:
 * one Sluice process for the class, started from the environment only (embedded configuration,
 * frontend {@code services} on DEFAULT_PORTS), real origins on 127.0.0.1 that answer their own
 * name. Every test uses its own service names and paths, so the tests do not see each other's
 * services.
 */
class AdminApiAcceptanceTest {

    private static final String API = "/v1/docker-flow-proxy/";

    @RegisterExtension
    static final SluiceProcesses sluices = new SluiceProcesses();

    @TempDir
    static Path stateDir;

    private static Origins origins;
    private static SluiceProcess sluice;

    @BeforeAll
    static void startSluice() throws IOException {
        origins = new Origins();
        sluice = sluices.start("admin-api", Map.of(), stateDir);
    }

    @AfterAll
    static void closeOrigins() {
        origins.close();
    }

    private static int port(String origin) {
        return origins.get(origin).port();
    }

    private static Answer call(String endpointAndQuery) throws IOException {
        return sluice.get(API + endpointAndQuery);
    }

    /** Reconfigure {@code name} on {@code path} to the origin of the same name, and expect 200. */
    private static void add(String name, String path) throws IOException {
        Answer a = call("reconfigure?serviceName=" + name + "&servicePath=" + path + "&port=" + port(name)
                + "&outboundHostname=127.0.0.1");
        assertThat(a.status()).as("reconfigure %s: %s", name, a).isEqualTo(200);
    }

    private static String servedBy(String path, String... headers) throws IOException {
        return Http.servedBy(sluice.proxyPort(), path, headers);
    }

    private static JsonObject ping() throws IOException {
        Answer a = call("ping");
        assertThat(a.status()).as("ping: %s", a).isEqualTo(200);
        return a.json();
    }

    @Test
    void sslVerifyNone_routesToAnHttpsService_overTls() throws Exception {
        try (dev.sluice.proxy.TestBackend https = dev.sluice.proxy.TestBackend.startTls("secure-origin",
                dev.sluice.proxy.TestPki.issue(null, "secure.internal").serverContext())) {
            Answer a = call("reconfigure?serviceName=secure&servicePath=/secure&port=" + https.port()
                    + "&outboundHostname=127.0.0.1&sslVerifyNone=true");
            assertThat(a.status()).as("reconfigure: %s", a).isEqualTo(200);
            assertThat(servedBy("/secure/x")).isEqualTo("secure-origin");
            assertThat(https.lastSni()).isEmpty();
            assertThat(call("config").body()).contains("server secure 127.0.0.1:" + https.port() + " ssl verify none");
        }
    }

    @Test
    void ping_answersOkWithGenerationAndHash_underBothPrefixes() throws IOException {
        for (String prefix : List.of(API, "/v1/proxy/")) {
            Answer a = sluice.get(prefix + "ping");

            assertThat(a.status()).as("%sping: %s", prefix, a).isEqualTo(200);
            JsonObject json = a.json();
            assertThat(json.getString("Status")).isEqualTo("OK");
            assertThat(json.getValue("Generation")).as("Generation in %s", a.body()).isInstanceOf(Number.class);
            assertThat(json.getString("Hash")).as("Hash in %s", a.body()).isNotBlank();
        }
    }

    @Test
    void reconfigure_routesThePathPrefixToTheBackend_andAnswersOkWithTheServiceName() throws IOException {
        assertThat(servedBy("/books/42")).isEqualTo("status 503");

        Answer a = call("reconfigure?serviceName=books&servicePath=/books&port=" + port("books")
                + "&outboundHostname=127.0.0.1");

        assertThat(a.status()).as("%s", a).isEqualTo(200);
        assertThat(a.json().getString("Status")).isEqualTo("OK");
        assertThat(a.json().getString("ServiceName")).isEqualTo("books");
        assertThat(servedBy("/books/42")).isEqualTo("books");
        assertThat(servedBy("/books")).isEqualTo("books");
        assertThat(servedBy("/magazines")).isEqualTo("status 503");
    }

    @Test
    void reconfigureAndRemove_answerAnyMethod_underBothPrefixes() throws IOException {
        Answer added = sluice.request("POST", "/v1/proxy/reconfigure?serviceName=anymethod&servicePath=/anymethod&port="
                + port("anymethod") + "&outboundHostname=127.0.0.1");
        assertThat(added.status()).as("POST /v1/proxy/reconfigure: %s", added).isEqualTo(200);
        assertThat(servedBy("/anymethod")).isEqualTo("anymethod");

        Answer removed = sluice.request("DELETE", "/v1/proxy/remove?serviceName=anymethod");
        assertThat(removed.status()).as("DELETE /v1/proxy/remove: %s", removed).isEqualTo(200);
        assertThat(servedBy("/anymethod")).isEqualTo("status 503");

        Answer put = sluice.request("PUT", API + "reconfigure?serviceName=anymethod&servicePath=/anymethod&port="
                + port("anymethod") + "&outboundHostname=127.0.0.1");
        assertThat(put.status()).as("PUT reconfigure: %s", put).isEqualTo(200);
        assertThat(servedBy("/anymethod")).isEqualTo("anymethod");
    }

    @Test
    void reconfigure_ofAnExistingService_replacesIt() throws IOException {
        add("shop-blue", "/shop");
        assertThat(servedBy("/shop/cart")).isEqualTo("shop-blue");

        Answer a = call("reconfigure?serviceName=shop-blue&servicePath=/store&port=" + port("shop-green")
                + "&outboundHostname=127.0.0.1");

        assertThat(a.status()).as("%s", a).isEqualTo(200);
        assertThat(servedBy("/store/cart")).isEqualTo("shop-green");
        assertThat(servedBy("/shop/cart")).as("the old path is gone with the old definition").isEqualTo("status 503");
    }

    @Test
    void remove_stopsRoutingTheService_andLeavesTheOthers() throws IOException {
        add("going", "/going");
        add("staying", "/staying");

        Answer a = call("remove?serviceName=going");

        assertThat(a.status()).as("%s", a).isEqualTo(200);
        assertThat(a.json().getString("Status")).isEqualTo("OK");
        assertThat(servedBy("/going")).isEqualTo("status 503");
        assertThat(servedBy("/staying")).isEqualTo("staying");
    }

    @Test
    void reconfigure_withReplicasZero_removesTheService() throws IOException {
        add("scaled", "/scaled");
        assertThat(servedBy("/scaled")).isEqualTo("scaled");

        Answer a = call("reconfigure?serviceName=scaled&servicePath=/scaled&port=" + port("scaled")
                + "&outboundHostname=127.0.0.1&replicas=0");

        assertThat(a.status()).as("%s", a).isEqualTo(200);
        assertThat(servedBy("/scaled")).isEqualTo("status 503");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "reconfigure?servicePath=/rejected&port=PORT                                        | 400 | serviceName",
            "reconfigure?serviceName=rejected&servicePath=/rejected                             | 400 | port",
            "reconfigure?serviceName=rejected&port=PORT                                         | 409 | ''",
            "reconfigure?serviceName=rejected&servicePath=/rejected&port=abc                    | 400 | port",
            "reconfigure?serviceName=rejected&servicePath=/rejected&port=PORT&httpsRedirectCode=999 | 400 | httpsRedirectCode",
            "reconfigure?serviceName=rejected&servicePath=/rejected&port=PORT&timeoutServer=x   | 400 | timeoutServer",
            "reconfigure?serviceName=rejected&servicePath=/rejected&port=PORT&templateFePath=/fe.tmpl | 400 | templateFePath",
            "reconfigure?serviceName=rejected&servicePath=/rejected&port=PORT&templateBePath=/be.tmpl | 400 | templateBePath",
            "reconfigure?serviceName=rejected&servicePath=/rejected&port=PORT&backendExtra=option%20httpchk | 400 | backendExtra",
            "remove?aclName=rejected                                                            | 400 | serviceName",
    })
    void aRejectedCall_answersNokWithAMessage_andChangesNothing(String query, int status, String named)
            throws IOException {
        JsonObject before = ping();

        Answer a = call(query.replace("PORT", Integer.toString(port("rejected"))) + "&outboundHostname=127.0.0.1");

        assertThat(a.status()).as("%s", a).isEqualTo(status);
        JsonObject json = a.json();
        assertThat(json.getString("Status")).isEqualTo("NOK");
        assertThat(json.getString("Message")).as("Message in %s", a.body()).isNotBlank().contains(named);
        JsonObject after = ping();
        assertThat(after.getValue("Generation")).isEqualTo(before.getValue("Generation"));
        assertThat(after.getString("Hash")).isEqualTo(before.getString("Hash"));
        assertThat(servedBy("/rejected")).isEqualTo("status 503");
    }

    @Test
    void aRejectedReconfigure_ofAnExistingService_keepsItsCurrentRoute() throws IOException {
        add("kept", "/kept");
        JsonObject before = ping();

        Answer a = call("reconfigure?serviceName=kept&servicePath=/kept&port=abc&outboundHostname=127.0.0.1");

        assertThat(a.status()).as("%s", a).isEqualTo(400);
        assertThat(servedBy("/kept")).isEqualTo("kept");
        JsonObject after = ping();
        assertThat(after.getValue("Generation")).isEqualTo(before.getValue("Generation"));
        assertThat(after.getString("Hash")).isEqualTo(before.getString("Hash"));
    }

    @Test
    void parametersOfOtherTools_areIgnored() throws IOException {
        Answer a = call("reconfigure?serviceName=monitored&servicePath=/monitored&port=" + port("monitored")
                + "&outboundHostname=127.0.0.1&alertIf=@service_mem_limit:0.8&alertFor=30s&scrapePort=9100");

        assertThat(a.status()).as("%s", a).isEqualTo(200);
        assertThat(servedBy("/monitored")).isEqualTo("monitored");
    }

    @Test
    void configAsJson_listsTheServicesByName_withTheGenerationAndHashOfPing() throws IOException {
        add("listed-a", "/listed-a");
        add("listed-b", "/listed-b");
        call("remove?serviceName=listed-b");

        Answer a = call("config?type=json");
        JsonObject pinged = ping();

        assertThat(a.status()).as("%s", a).isEqualTo(200);
        JsonObject json = a.json();
        assertThat(json.getValue("Generation")).isEqualTo(pinged.getValue("Generation"));
        assertThat(json.getString("Hash")).isEqualTo(pinged.getString("Hash"));
        assertThat(json.getValue("Services")).as("Services in %s", a.body()).isInstanceOf(JsonObject.class);
        JsonObject services = json.getJsonObject("Services");
        assertThat(services.fieldNames()).contains("listed-a").doesNotContain("listed-b");
    }

    @Test
    void indexedDestinations_routeEachPathToItsOwnPort() throws IOException {
        Answer a = call("reconfigure?serviceName=multi&outboundHostname=127.0.0.1"
                + "&servicePath.1=/alpha&port.1=" + port("multi-alpha")
                + "&servicePath.2=/beta&port.2=" + port("multi-beta"));

        assertThat(a.status()).as("%s", a).isEqualTo(200);
        assertThat(servedBy("/alpha/x")).isEqualTo("multi-alpha");
        assertThat(servedBy("/beta/x")).isEqualTo("multi-beta");
    }

    @Test
    void serviceDomain_routesByHost() throws IOException {
        Answer a = call("reconfigure?serviceName=site&serviceDomain=example.com&port=" + port("site")
                + "&outboundHostname=127.0.0.1");

        assertThat(a.status()).as("%s", a).isEqualTo(200);
        assertThat(servedBy("/any/page", "Host: example.com")).isEqualTo("site");
        assertThat(servedBy("/any/page", "Host: example.org")).isEqualTo("status 503");
    }

    @Test
    void generation_increasesByOnePerAcceptedChange() throws IOException {
        JsonObject start = ping();
        long g = start.getLong("Generation");

        add("counted-a", "/counted-a");
        JsonObject afterAdd = ping();
        add("counted-b", "/counted-b");
        JsonObject afterSecond = ping();
        call("reconfigure?serviceName=counted-b&servicePath=/counted-b&port=abc");
        JsonObject afterRejected = ping();
        assertThat(call("remove?serviceName=counted-a").status()).isEqualTo(200);
        JsonObject afterRemove = ping();

        assertThat(afterAdd.getLong("Generation")).isEqualTo(g + 1);
        assertThat(afterSecond.getLong("Generation")).isEqualTo(g + 2);
        assertThat(afterRejected.getLong("Generation")).isEqualTo(g + 2);
        assertThat(afterRemove.getLong("Generation")).isEqualTo(g + 3);
        assertThat(afterAdd.getString("Hash")).isNotEqualTo(start.getString("Hash"));
        assertThat(afterSecond.getString("Hash")).isNotEqualTo(afterAdd.getString("Hash"));
        assertThat(afterRemove.getString("Hash")).isNotEqualTo(afterSecond.getString("Hash"));
    }

    @Test
    void users_protectTheService_andTheirPasswordsAreNeverShown() throws IOException {
        Answer a = call("reconfigure?serviceName=private&servicePath=/private&port=" + port("private")
                + "&outboundHostname=127.0.0.1&users=alice:wonderland");

        assertThat(a.status()).as("%s", a).isEqualTo(200);
        assertThat(a.body()).doesNotContain("wonderland");
        Answer text = call("config");
        assertThat(text.status()).isEqualTo(200);
        assertThat(text.body()).doesNotContain("wonderland");
        Answer json = call("config?type=json");
        assertThat(json.status()).isEqualTo(200);
        assertThat(json.body()).contains("private").doesNotContain("wonderland");

        Response anonymous = Http.get(sluice.proxyPort(), "/private");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("www-authenticate")).as("the browser is asked for credentials").startsWith("Basic");
        Response wrong = Http.get(sluice.proxyPort(), "/private", "Authorization: " + SluiceProcess.basic("alice", "rabbit"));
        assertThat(wrong.status()).isEqualTo(401);

        Response allowed = Http.get(sluice.proxyPort(), "/private",
                "Authorization: " + SluiceProcess.basic("alice", "wonderland"));
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.header("x-server")).isEqualTo("private");
        assertThat(allowed.bodyText()).as("what the backend received").doesNotContainIgnoringCase("authorization");
        assertThat(sluice.output()).as("the process's output").doesNotContain("wonderland");
    }
}
