package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.proxy.RawHttpClient;
import dev.sluice.proxy.RawHttpClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** http-request / http-response rules, userlists and errorfiles, from configuration text. */
class HttpRulesEndToEndTest {

    /** {@code openssl passwd -5 secret}. */
    private static final String SHA256_CRYPT_OF_SECRET = "$5$5svz2m4bS9KHGxZM$m0r4pbBJtxV3NBCN2oiLqvp7u6sGAgQNFh9SBvCC54/";

    @RegisterExtension
    static final ProxyFixture sluice = new ProxyFixture();

    private int start(String config) throws Exception {
        return sluice.start(config);
    }

    private static String basic(String user, String password) {
        return "Authorization: Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void deny_answersWithoutReachingTheOrigin() throws Exception {
        int port = start("""
                frontend fe
                    http-request deny if { path_beg /admin }
                    http-request deny deny_status 429 if { hdr(X-Flood) 1 }
                    default_backend app
                backend app
                    server s1 {{deny}}
                """);
        int before = sluice.origins().get("deny").requests();

        assertThat(Http.get(port, "/admin/x").status()).isEqualTo(403);
        assertThat(Http.get(port, "/x", "X-Flood: 1").status()).isEqualTo(429);
        assertThat(sluice.origins().get("deny").requests()).isEqualTo(before);
        assertThat(Http.servedBy(port, "/x")).isEqualTo("deny");
    }

    @Test
    void redirect_answersWithLocationAndCode() throws Exception {
        int port = start("""
                frontend fe
                    http-request redirect scheme https code 301 if { path_beg /secure }
                    http-request redirect location https://login.example/ if { path /login }
                    http-request redirect prefix https://new.example code 308 if { hdr(host) old.example }
                    default_backend app
                backend app
                    server s1 {{redirect}}
                """);

        Response scheme = Http.get(port, "/secure/page?a=1", "Host: shop.example");
        assertThat(scheme.status()).isEqualTo(301);
        assertThat(scheme.header("location")).isEqualTo("https://shop.example/secure/page?a=1");
        Response location = Http.get(port, "/login");
        assertThat(location.status()).isEqualTo(302);
        assertThat(location.header("location")).isEqualTo("https://login.example/");
        Response prefix = Http.get(port, "/p/q?r=s", "Host: old.example");
        assertThat(prefix.status()).isEqualTo(308);
        assertThat(prefix.header("location")).isEqualTo("https://new.example/p/q?r=s");
        assertThat(Http.servedBy(port, "/other")).isEqualTo("redirect");
    }

    @Test
    void authWithUserlist_acceptsInsecureAndCryptPasswordsOnly() throws Exception {
        int port = start("""
                userlist admins
                    user alice insecure-password wonderland
                    user bob password %s
                frontend fe
                    acl authed http_auth(admins)
                    http-request auth realm Admin if { path_beg /admin } !authed
                    default_backend app
                backend app
                    server s1 {{auth}}
                """.formatted(SHA256_CRYPT_OF_SECRET));

        Response anonymous = Http.get(port, "/admin/panel");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("www-authenticate")).isEqualTo("Basic realm=\"Admin\"");
        assertThat(Http.servedBy(port, "/admin/panel", basic("alice", "wonderland"))).isEqualTo("auth");
        assertThat(Http.servedBy(port, "/admin/panel", basic("bob", "secret"))).isEqualTo("auth");
        assertThat(Http.get(port, "/admin/panel", basic("bob", "Secret")).status()).isEqualTo(401);
        assertThat(Http.get(port, "/admin/panel", basic("alice", "secret")).status()).isEqualTo(401);
        assertThat(Http.get(port, "/admin/panel", basic("mallory", "wonderland")).status()).isEqualTo(401);
        assertThat(Http.get(port, "/admin/panel", "Authorization: Basic !!notbase64").status()).isEqualTo(401);
        assertThat(Http.servedBy(port, "/public")).isEqualTo("auth");
    }

    @Test
    void httpAuth_canRouteToABackend() throws Exception {
        int port = start("""
                userlist staff
                    user carol insecure-password pw
                frontend fe
                    use_backend internal if { http_auth(staff) }
                    default_backend public
                backend internal
                    server s1 {{internal}}
                backend public
                    server s1 {{public}}
                """);

        assertThat(Http.servedBy(port, "/", basic("carol", "pw"))).isEqualTo("internal");
        assertThat(Http.servedBy(port, "/", basic("carol", "nope"))).isEqualTo("public");
        assertThat(Http.servedBy(port, "/")).isEqualTo("public");
    }

    @Test
    void setHeader_replacesRequestAndResponseHeaders() throws Exception {
        int port = start("""
                frontend fe
                    http-request set-header X-Forwarded-Proto http
                    http-request set-header X-Only one if { path_beg /tagged }
                    http-response set-header X-Frame-Options DENY
                    default_backend app
                backend app
                    http-response set-header X-Server masked if { path_beg /mask }
                    server s1 {{headers}}
                """);

        Response r = Http.get(port, "/tagged", "X-Forwarded-Proto: spoofed", "X-Only: a", "X-Only: b");
        assertThat(r.bodyText()).contains("x-forwarded-proto: http", "x-only: one")
                .doesNotContain("spoofed", "x-only: a", "x-only: b");
        assertThat(r.header("x-frame-options")).isEqualTo("DENY");
        assertThat(r.header("x-server")).isEqualTo("headers");
        assertThat(Http.get(port, "/plain", "X-Only: a").bodyText()).contains("x-only: a");
        Response masked = Http.get(port, "/mask");
        assertThat(masked.headerValues("x-server")).containsExactly("masked");
        assertThat(masked.header("x-frame-options")).isEqualTo("DENY");
    }

    @Test
    void errorfile_replacesTheBuiltInPage(@TempDir Path dir) throws Exception {
        String page = "<h1>down for maintenance</h1>";
        Files.writeString(dir.resolve("503.http"), "HTTP/1.1 503 Service Unavailable\r\n"
                + "Content-Type: text/html\r\nContent-Length: " + page.length() + "\r\n"
                + "Cache-Control: no-cache\r\nConnection: close\r\n\r\n" + page);
        Files.writeString(dir.resolve("403.http"), "HTTP/1.1 403 Forbidden\r\n"
                + "Content-Type: text/plain\r\nContent-Length: 4\r\nConnection: close\r\n\r\nnope");
        RunningProxy proxy = sluice.startProxy("""
                frontend fe
                    errorfile 503 503.http
                    errorfile 403 %s
                    http-request deny if { path_beg /private }
                    use_backend app if { path_beg /app }
                backend app
                    server s1 {{errorfile}}
                """.formatted(dir.resolve("403.http")), dir);
        int port = proxy.port("fe");

        Response unrouted = Http.get(port, "/nowhere");
        assertThat(unrouted.status()).isEqualTo(503);
        assertThat(unrouted.bodyText()).isEqualTo(page);
        assertThat(unrouted.header("cache-control")).isEqualTo("no-cache");
        Response denied = Http.get(port, "/private");
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.bodyText()).isEqualTo("nope");
        assertThat(Http.servedBy(port, "/app")).isEqualTo("errorfile");
    }

    @Test
    void requestRules_runBeforeUseBackend_soRoutingSeesTheirChanges() throws Exception {
        int port = start("""
                frontend fe
                    http-request set-header X-Route tagged if { path_beg /tag }
                    http-request set-path /rewritten if { path /old }
                    use_backend tagged if { hdr(X-Route) tagged }
                    use_backend rewritten if { path /rewritten }
                    default_backend plain
                backend tagged
                    server s1 {{tagged}}
                backend rewritten
                    server s1 {{rewritten}}
                backend plain
                    server s1 {{plain}}
                """);

        assertThat(Http.servedBy(port, "/tag/1")).isEqualTo("tagged");
        assertThat(Http.servedBy(port, "/other")).isEqualTo("plain");
        Response rewritten = Http.get(port, "/old?k=v");
        assertThat(rewritten.header("x-server")).isEqualTo("rewritten");
        assertThat(rewritten.bodyText()).contains("uri=/rewritten?k=v");
    }

    @Test
    void rulesRunFrontendThenBackend_forRequests_andBackendThenFrontend_forResponses() throws Exception {
        int port = start("""
                frontend fe
                    http-request set-header X-Req front
                    http-response set-header X-Resp front
                    default_backend app
                backend app
                    http-request set-header X-Req back
                    http-response set-header X-Resp back
                    server s1 {{order}}
                """);

        Response r = Http.get(port, "/");
        assertThat(r.bodyText()).contains("x-req: back").doesNotContain("x-req: front");
        assertThat(r.headerValues("x-resp")).containsExactly("front");
    }

    @Test
    void authRealm_defaultsToTheProxyName() throws Exception {
        int port = start("""
                userlist users
                    user dave insecure-password pw
                frontend fe
                    http-request auth unless { http_auth(users) }
                    default_backend app
                backend app
                    server s1 {{realm}}
                """);

        Response r = Http.get(port, "/");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.header("www-authenticate")).isEqualTo("Basic realm=\"fe\"");
        assertThat(Http.servedBy(port, "/", basic("dave", "pw"))).isEqualTo("realm");
    }

    @Test
    void forwardfor_appendsTheClientAddressAsAHeaderLine() throws Exception {
        int port = start("""
                frontend fe
                    option forwardfor
                    default_backend app
                backend app
                    server s1 {{xff}}
                """);

        assertThat(Http.get(port, "/", "X-Forwarded-For: 192.0.2.7").bodyText())
                .contains("x-forwarded-for: 192.0.2.7\n", "x-forwarded-for: 127.0.0.1\n");
    }

    @Test
    void errorfileInDefaults_appliesToTheFrontend(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("503.http"), "HTTP/1.1 503 Service Unavailable\r\n"
                + "Content-Length: 5\r\nConnection: close\r\n\r\nsorry");
        RunningProxy proxy = sluice.startProxy("""
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 5s
                    timeout server 5s
                    errorfile 503 503.http
                frontend fe
                    use_backend app if { path /app }
                backend app
                    server s1 {{errordefaults}}
                """, dir);

        Response r = Http.get(proxy.port("fe"), "/elsewhere");
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.bodyText()).isEqualTo("sorry");
    }

    @ParameterizedTest
    @CsvSource({"/deny, 403", "/redirect, 302", "/auth, 401", "/return, 200", "/unrouted, 503"})
    void answerWithoutOrigin_closesTheConnection_soAnUnreadBodyIsNeverTakenForARequest(String path, int status)
            throws Exception {
        int port = start("""
                userlist users
                    user erin insecure-password pw
                frontend fe
                    http-request deny if { path /deny }
                    http-request redirect location /elsewhere if { path /redirect }
                    http-request auth if { path /auth }
                    http-request return status 200 content-type text/plain string hi if { path /return }
                    use_backend app if { path_beg /smuggled }
                backend app
                    server s1 {{smuggle}}
                """);
        int before = sluice.origins().get("smuggle").requests();
        String hidden = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";

        try (RawHttpClient c = new RawHttpClient(port, Http.TIMEOUT_MS)) {
            c.send("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + hidden.length() + "\r\n\r\n" + hidden);
            assertThat(c.read().status()).isEqualTo(status);
            assertThat(c.isClosedByServer()).isTrue();
        }
        assertThat(sluice.origins().get("smuggle").requests()).isEqualTo(before);
    }

    @Test
    void replacePath_backReferencesInConfigText_work() throws Exception {
        int port = start("""
                frontend fe
                    http-request replace-path ^/old/(.*) /new/\\1
                    default_backend app
                backend app
                    server s1 {{replace}}
                """);

        assertThat(Http.get(port, "/old/thing").bodyText()).contains("uri=/new/thing");
    }

}
