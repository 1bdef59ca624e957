package dev.sluice.routing.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.routing.RoutingCompiler;
import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.ConfigRenderer;
import dev.sluice.routing.config.ParseResult;
import dev.sluice.routing.config.ProxyConfig;
import dev.sluice.routing.Backend;
import dev.sluice.routing.Configs;
import dev.sluice.routing.HttpAction;
import dev.sluice.routing.HttpRule;
import dev.sluice.routing.RoutingTable;
import dev.sluice.routing.TestRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

class ServiceConfigsTest {

    private static final String EXPECTED_SNI_FRONTEND = """
            frontend service_8443
                mode tcp
                timeout connect 5s
                timeout client 30s
                timeout server 20s
                option forwardfor
                bind *:8443
                tcp-request inspect-delay 5s
                acl sni_api443-1 req_ssl_sni -i -m end .api.example api.example
                acl sni_web443-1 req_ssl_sni -i -m beg web.
                tcp-request content accept if { req_ssl_hello_type 1 }
                use_backend api-be443_0 if sni_api443-1
                use_backend web-be443_0 if sni_web443-1
            """;


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
    void sniServicesOnOnePort_shareOneFrontendThatRoutesByTheClientHello() throws Exception {
        ProxyConfig c = ServiceConfigs.build(base(), List.of(
                spec("serviceName=web&reqMode=sni&srcPort=8443&port=443&servicePath=web."),
                spec("serviceName=api&reqMode=sni&srcPort=8443&port=443&pathType=req_ssl_sni  -i -m end"
                        + "&servicePath=.api.example,api.example&timeoutClient=30")), ServiceDefaults.DFP);
        String text = ConfigRenderer.render(c);
        String frontend = text.substring(text.indexOf("frontend service_8443"), text.indexOf("\nbackend api-be443_0"));
        assertThat(frontend).isEqualTo(EXPECTED_SNI_FRONTEND);
        assertThat(text).contains("backend web-be443_0\n    mode tcp\n");
        dev.sluice.routing.Frontend f = RoutingCompiler.compile(c, null).frontend("service_8443");
        assertThat(f.tcpInspection().inspects()).isTrue();
        assertThat(f.select(new TestRequest().sni("x.api.example")).name()).isEqualTo("api-be443_0");
        assertThat(f.select(new TestRequest().sni("web.example")).name()).isEqualTo("web-be443_0");
        assertThat(f.select(new TestRequest().sni("other.example"))).isNull();
    }

    @Test
    void sniAndTcpServices_cannotShareASourcePort() throws Exception {
        assertThatThrownBy(() -> ServiceConfigs.build(base(), List.of(
                spec("serviceName=web&reqMode=sni&srcPort=8443&port=443&servicePath=web."),
                spec("serviceName=raw&reqMode=tcp&srcPort=8443&port=443")), ServiceDefaults.DFP))
                .isInstanceOf(ServiceException.class)
                .hasMessageContaining("srcPort 8443 already serves reqMode");
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

    // --- helpers for the tests below ------------------------------------------------------

    static ProxyConfig build(ServiceDefaults defaults, String... queries) throws ServiceException {
        List<ServiceSpec> specs = new ArrayList<>();
        for (String query : queries) {
            specs.add(ServiceParser.parse(q(query), defaults));
        }
        return ServiceConfigs.build(base(), specs, defaults);
    }

    static RoutingTable table(String... queries) throws ServiceException {
        return RoutingCompiler.compile(build(ServiceDefaults.DFP, queries), null);
    }

    static String route(RoutingTable table, TestRequest request) {
        return Configs.route(table, ServiceConfigs.SERVICES, request);
    }

    /** The lines the templates write for {@code query}'s backends (userlists and frontend lines left out). */
    static List<String> backendLines(String query, ServiceDefaults defaults) throws ServiceException {
        ServiceTemplates.Text text = new ServiceTemplates.Text();
        ServiceTemplates.httpBackends(ServiceParser.parse(q(query), defaults), text);
        return text.toString().lines().toList();
    }

    static List<String> frontendLines(String query) throws ServiceException {
        ServiceTemplates.Text text = new ServiceTemplates.Text();
        ServiceTemplates.frontend(spec(query), text);
        return text.toString().lines().map(String::strip).toList();
    }

    /** HAProxy's {@code \N} back-references as a Java replacement, for the regsub reference: {@code replaceFirst}. */
    static String javaReplacement(String haproxy) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < haproxy.length(); i++) {
            char c = haproxy.charAt(i);
            if (c == '\\' && i + 1 < haproxy.length() && Character.isDigit(haproxy.charAt(i + 1))) {
                sb.append('$');
            } else if (c == '$' || c == '\\') {
                sb.append('\\').append(c);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    // --- the backend as Docker Flow Proxy's template writes it ------------------------------

    @Test
    void backendRules_followDockerFlowProxysOrder() throws Exception {
        ServiceDefaults global = new ServiceDefaults(",", "hdr_beg(host)", "http", false, "admin:a", false,
                Path.of("/nonexistent"));
        List<String> lines = backendLines("serviceName=web&servicePath=/api&port=8080&httpsOnly=true"
                + "&httpsRedirectCode=301&connectionMode=http-server-close&addReqHeader=X-A one two"
                + "&setReqHeader=X-B b&addResHeader=X-C c&setResHeader=X-D d&delReqHeader=X-E&delResHeader=Server"
                + "&timeoutServer=30&timeoutTunnel=7200&reqPathSearchReplace=^/api/,/"
                + "&allowedMethods=GET,POST&deniedMethods=DELETE&denyHttp=true&outboundHostname=10.0.0.7"
                + "&users=u:p", global);
        assertThat(lines).containsExactly(
                "backend web-be8080_0",
                "    mode http",
                "    http-request redirect scheme https code 301 if !{ ssl_fc }",
                "    http-request add-header X-Forwarded-Proto https if { ssl_fc }",
                "    option http-server-close",
                "    http-request add-header X-A \"one two\"",
                "    http-request set-header X-B b",
                "    http-response add-header X-C c",
                "    http-response set-header X-D d",
                "    http-request del-header X-E",
                "    http-response del-header Server",
                "    timeout server 30s",
                "    timeout tunnel 7200s",
                "    http-request replace-path \"^(.*?)(^/api/)(.*)\\$\" \"\\\\1/\\\\3\"",
                "    acl valid_allowed_method method GET POST",
                "    http-request deny unless valid_allowed_method",
                "    acl valid_denied_method method DELETE",
                "    http-request deny if valid_denied_method",
                "    http-request deny if !{ ssl_fc }",
                "    server web 10.0.0.7:8080",
                "    acl webUsersAcl http_auth(webUsers)",
                "    http-request auth realm webRealm if !webUsersAcl",
                "    acl defaultUsersAcl http_auth(defaultUsers)",
                "    http-request auth realm defaultRealm if !defaultUsersAcl",
                "    http-request del-header Authorization");
    }

    @Test
    void compiledBackend_runsItsRequestRulesInTheTemplatesOrder() throws Exception {
        RoutingTable t = table("serviceName=web&servicePath=/api&port=8080&httpsOnly=true&addReqHeader=X-A a"
                + "&reqPathSearchReplace=/api,/v2&deniedMethods=DELETE&users=u:p");
        Backend b = t.backend("web-be8080_0");
        assertThat(b.requestRules()).extracting(r -> r.action().getClass().getSimpleName()).containsExactly(
                "Redirect", "AddHeader", "AddHeader", "ReplacePath", "Deny", "Auth", "DelHeader");
        assertThat(((HttpAction.AddHeader) b.requestRules().get(1).action()).name()).isEqualTo("X-Forwarded-Proto");
        assertThat(((HttpAction.DelHeader) b.requestRules().get(6).action()).name()).isEqualTo("Authorization");
        assertThat(b.servers()).hasSize(1);
    }

    @Test
    void plainServiceBackend_hasNoAuthAndNoRedirect() throws Exception {
        assertThat(backendLines("serviceName=web&servicePath=/&port=80", ServiceDefaults.DFP)).containsExactly(
                "backend web-be80_0",
                "    mode http",
                "    http-request add-header X-Forwarded-Proto https if { ssl_fc }",
                "    server web web:80");
    }

    @Test
    void ignoreAuthorization_leavesTheDestinationOpen() throws Exception {
        List<String> lines = backendLines("serviceName=web&users=u:p&servicePath.1=/private&port=80"
                + "&servicePath.2=/public&ignoreAuthorization.2=true", ServiceDefaults.DFP);
        String text = String.join("\n", lines);
        assertThat(text.split("backend ")).hasSize(3);
        assertThat(text.split("backend ")[1]).contains("http_auth(webUsers)", "del-header Authorization");
        assertThat(text.split("backend ")[2]).doesNotContain("http_auth", "Authorization");
    }

    @Test
    void httpsOnlyDefault_writesTheRedirectInEveryBackend() throws Exception {
        ServiceDefaults httpsOnly = new ServiceDefaults(",", "hdr_beg(host)", "http", true, "", false,
                Path.of("/nonexistent"));
        List<String> lines = backendLines("serviceName=web&servicePath.1=/a&port.1=80&servicePath.2=/b&port.2=81",
                httpsOnly);
        assertThat(lines).filteredOn(l -> l.contains("redirect scheme https if !{ ssl_fc }")).hasSize(2);
    }

    @Test
    void ipv6OutboundHostname_isBracketed() throws Exception {
        assertThat(backendLines("serviceName=web&servicePath=/&port=80&outboundHostname=fd00::7", ServiceDefaults.DFP))
                .contains("    server web [fd00::7]:80");
    }

    @Test
    void userlists_holdInsecureOrHashedPasswords() throws Exception {
        String text = ConfigRenderer.render(build(ServiceDefaults.DFP,
                "serviceName=plain&servicePath=/p&port=80&users=u:p",
                "serviceName=hashed&servicePath=/h&port=80&users=h:$6$s$x&usersPassEncrypted=true"));
        assertThat(text).contains("userlist plainUsers\n    user u insecure-password p\n")
                .contains("userlist hashedUsers\n    user h password \"\\$6\\$s\\$x\"\n");
    }

    @Test
    void globalUsers_becomeTheDefaultUsersList() throws Exception {
        ServiceDefaults global = new ServiceDefaults(",", "hdr_beg(host)", "http", false, "admin:a,ops:o", false,
                Path.of("/nonexistent"));
        ProxyConfig c = build(global, "serviceName=web&servicePath=/&port=80");
        assertThat(c.userlist("defaultUsers")).isNotNull();
        assertThat(ConfigRenderer.render(c)).contains("user admin insecure-password a", "user ops insecure-password o",
                "http-request auth realm defaultRealm if !defaultUsersAcl");
    }

    // --- the frontend -----------------------------------------------------------------------

    @Test
    void redirectWhenHttpProto_redirectsRequestsAnExternalBalancerSawAsHttp() throws Exception {
        List<String> lines = frontendLines("serviceName=web&servicePath=/a&serviceDomain=ex.com&port=80"
                + "&redirectWhenHttpProto=true&httpsRedirectCode=308");
        assertThat(lines).containsSubsequence(
                "acl is_web_http hdr(X-Forwarded-Proto) http",
                "http-request redirect scheme https code 308 if is_web_http url_web80_0 domain_web80_0",
                "use_backend web-be80_0 if url_web80_0 domain_web80_0");
        assertThat(frontendLines("serviceName=web&servicePath=/a&port=80")).noneMatch(l -> l.contains("redirect"));
    }

    @Test
    void redirectFromDomain_sendsOldDomainsToTheFirstServiceDomain() throws Exception {
        assertThat(frontendLines("serviceName=web&serviceDomain=new.com,www.new.com&redirectFromDomain=old.com&port=80"))
                .contains("http-request redirect prefix http://new.com code 301 if { hdr_beg(host) -i old.com }");
    }

    @Test
    void isDefaultBackend_catchesWhatNoOtherServiceClaims() throws Exception {
        RoutingTable t = table("serviceName=catchall&servicePath=/catch&port=80&isDefaultBackend=true",
                "serviceName=api&servicePath=/api&port=81");
        assertThat(route(t, TestRequest.get("/api/x"))).isEqualTo("api-be81_0");
        assertThat(route(t, TestRequest.get("/catch"))).isEqualTo("catchall-be80_0");
        assertThat(route(t, TestRequest.get("/elsewhere"))).isEqualTo("catchall-be80_0");
        RoutingTable without = table("serviceName=api&servicePath=/api&port=81");
        assertThat(route(without, TestRequest.get("/elsewhere"))).isNull();
    }

    @Test
    void indexedDestinations_routeToTheirOwnBackends() throws Exception {
        RoutingTable t = table("serviceName=web&port=80&servicePath.1=/one&servicePath.2=/two&port.2=82"
                + "&servicePath.4=/four");
        assertThat(route(t, TestRequest.get("/one/x"))).isEqualTo("web-be80_1");
        assertThat(route(t, TestRequest.get("/two"))).isEqualTo("web-be82_2");
        assertThat(route(t, TestRequest.get("/four"))).isNull();
    }

    @Test
    void domainOnlyService_takesEveryPathOfItsDomain() throws Exception {
        RoutingTable t = table("serviceName=site&serviceDomain=example.com&port=80");
        assertThat(route(t, TestRequest.get("/any/path").host("example.com"))).isEqualTo("site-be80_0");
        assertThat(route(t, TestRequest.get("/").host("example.com:8000"))).isEqualTo("site-be80_0");
        assertThat(route(t, TestRequest.get("/").host("other.com"))).isNull();
    }

    @Test
    void starDomain_matchesSubdomainsByTheirEnd() throws Exception {
        assertThat(frontendLines("serviceName=site&serviceDomain=*.example.com&port=80"))
                .contains("acl domain_site80_0 hdr_end(host) -i .example.com");
        RoutingTable t = table("serviceName=site&serviceDomain=*.example.com&port=80");
        assertThat(route(t, TestRequest.get("/").host("api.example.com"))).isEqualTo("site-be80_0");
        assertThat(route(t, TestRequest.get("/").host("API.EXAMPLE.COM"))).isEqualTo("site-be80_0");
        assertThat(route(t, TestRequest.get("/").host("example.org"))).isNull();
    }

    @Test
    void serviceDomainAlgo_choosesTheHostMatch() throws Exception {
        RoutingTable beg = table("serviceName=site&serviceDomain=example&port=80");
        assertThat(route(beg, TestRequest.get("/").host("example.com"))).isEqualTo("site-be80_0");
        RoutingTable exact = table("serviceName=site&serviceDomain=example.com&port=80&serviceDomainAlgo=hdr(host)");
        assertThat(route(exact, TestRequest.get("/").host("example.com"))).isEqualTo("site-be80_0");
        assertThat(route(exact, TestRequest.get("/").host("example.com.evil"))).isNull();
        RoutingTable dom = table("serviceName=site&serviceDomain=example.com&port=80&serviceDomainMatchAll=true");
        assertThat(route(dom, TestRequest.get("/").host("a.example.com"))).isEqualTo("site-be80_0");
        assertThat(route(dom, TestRequest.get("/").host("notexample.com"))).isNull();
    }

    @Test
    void pathReg_routesByRegex_andServicePathExcludeCarvesOut() throws Exception {
        RoutingTable t = table("serviceName=api&servicePath=^/v[0-9]+/&pathType=path_reg&port=80",
                "serviceName=web&servicePath=/&servicePathExclude=/admin&port=81");
        assertThat(route(t, TestRequest.get("/v2/users"))).isEqualTo("api-be80_0");
        assertThat(route(t, TestRequest.get("/vx/users"))).isEqualTo("web-be81_0");
        assertThat(route(t, TestRequest.get("/admin/x"))).isNull();
    }

    @Test
    void serviceHeaderAndUserAgent_narrowTheRoute() throws Exception {
        RoutingTable t = table("serviceName=beta&servicePath=/&port=80&serviceHeader=X-Version:2&userAgent=curl");
        assertThat(route(t, TestRequest.get("/").header("X-Version", "2").header("User-Agent", "curl/8.0")))
                .isEqualTo("beta-be80_0");
        assertThat(route(t, TestRequest.get("/").header("X-Version", "2").header("User-Agent", "Mozilla"))).isNull();
        assertThat(route(t, TestRequest.get("/").header("User-Agent", "curl/8.0"))).isNull();
    }

    @Test
    void anotherSeparator_givesEveryPathItsAcl() throws Exception {
        ServiceDefaults semicolon = new ServiceDefaults(";", "hdr_beg(host)", "http", false, "", false,
                Path.of("/nonexistent"));
        RoutingTable t = RoutingCompiler.compile(build(semicolon, "serviceName=web&servicePath=/a;/b&port=80"), null);
        assertThat(route(t, TestRequest.get("/a"))).isEqualTo("web-be80_0");
        assertThat(route(t, TestRequest.get("/b"))).isEqualTo("web-be80_0");
        assertThat(route(t, TestRequest.get("/c"))).isNull();
    }

    @Test
    void tcpService_writesTimeoutClientOnItsFrontend() throws Exception {
        ProxyConfig c = build(ServiceDefaults.DFP, "serviceName=db&reqMode=tcp&srcPort=5432&port=5432"
                + "&timeoutClient=60&timeoutServer=90&checkTcp=true&outboundHostname=db.internal");
        String text = ConfigRenderer.render(c);
        String frontend = text.substring(text.indexOf("frontend tcpFE_5432"), text.indexOf("\nbackend db-be5432_0"));
        assertThat(frontend).contains("timeout client 1m", "default_backend db-be5432_0");
        assertThat(text.substring(text.indexOf("\nbackend db-be5432_0")))
                .contains("timeout server 90s", "server db db.internal:5432 check");
    }

    // --- reqPathSearchReplace: regsub's first match as a whole-path replace-path ----------------

    @ParameterizedTest(name = "{0} -> {1} on {2}")
    @CsvSource(delimiter = ';', quoteCharacter = '`', value = {
            "/api              ; /v2        ; /api/users          ; /v2/users",
            "^/api/            ; /          ; /api/users          ; /users",
            "/api              ; ``         ; /x/api/y            ; /x/y",
            "/a                ; /b         ; /a/a/a              ; /b/a/a",
            "^/x/(.*)          ; /y/\\1     ; /x/abc              ; /y/abc",
            "/(v[0-9])/(\\w+)  ; /\\2/\\1   ; /api/v1/users/list  ; /api/users/v1/list",
            "/zzz              ; /q         ; /api                ; /api",
            "/a                ; /$x        ; /a/b                ; /$x/b",
            "/a$               ; /b         ; /x/a                ; /x/b",
            "/(old|older)/     ; /new/      ; /older/page         ; /new/page",
            "[0-9]+            ; N          ; /item/42/part/7     ; /item/N/part/7",
            "/api              ; \\0/v2     ; /api/x              ; /api/v2/x",
            "foo|bar           ; baz        ; /bar/x              ; /baz/x",
            "(o)\\1            ; 0          ; /foo                ; /f0",
            "/(a)(b)?          ; /\\2x       ; /a/c                ; /x/c",
            "(a)(b)\\2\\1      ; -           ; /xabba/y            ; /x-/y",
            "(a)\\12           ; -           ; /aa2/a12            ; /-/a12",
            "\\Q\\1\\E          ; one         ; /x\\1y              ; /xoney",
            "(?i)/API          ; /api       ; /API/x              ; /api/x",
            "(/a)(/b)(/c)(/d)(/e)(/f) ; \\6\\5\\4\\3\\2\\1 ; /a/b/c/d/e/f/g ; /f/e/d/c/b/a/g"})
    void replacePath_doesWhatReplaceFirstDoes(String search, String replace, String path, String expected)
            throws Exception {
        assertThat(path.replaceFirst(search, javaReplacement(replace))).as("the table itself").isEqualTo(expected);
        SearchReplace sr = new SearchReplace(search, replace);
        Matcher direct = java.util.regex.Pattern.compile(PathRewrite.replacePathRegex(search)).matcher(path);
        String viaTemplates = direct.find()
                ? dev.sluice.routing.RegexReplacement.expand(direct, PathRewrite.replacePathFormat(sr)) : path;
        assertThat(viaTemplates).as("replace-path %s %s", PathRewrite.replacePathRegex(search),
                PathRewrite.replacePathFormat(sr)).isEqualTo(expected);

        // and through the configuration text and the compiler, as proxy-core gets it
        String query = "serviceName=web&servicePath=/&port=80&reqPathSearchReplace=" + search + "," + replace;
        HttpRule rule = table(query).backend("web-be80_0").requestRules().stream()
                .filter(r -> r.action() instanceof HttpAction.ReplacePath).findFirst().orElseThrow();
        HttpAction.ReplacePath action = (HttpAction.ReplacePath) rule.action();
        Matcher m = action.regex().matcher(path);
        String compiled = m.find() ? dev.sluice.routing.RegexReplacement.expand(m, action.replacement()) : path;
        assertThat(compiled).isEqualTo(expected);
    }

    @Test
    void sslVerifyNone_rendersDockerFlowProxysServerOptions_perDestination() throws Exception {
        ProxyConfig c = build(ServiceDefaults.DFP, "serviceName=web&servicePath.1=/a&port.1=8443&sslVerifyNone.1=true"
                + "&servicePath.2=/b&port.2=8080");
        assertThat(ConfigRenderer.render(c)).contains("server web web:8443 ssl verify none\n")
                .contains("server web web:8080\n");
        var server = RoutingCompiler.compile(c, null).backend("web-be8443_1").servers().get(0);
        assertThat(server.tls().ssl()).isTrue();
        assertThat(server.tls().verifies()).isFalse();
        assertThat(ConfigRenderer.render(build(ServiceDefaults.DFP,
                "serviceName=api&servicePath=/api&port=443&discoveryType=DNS&replicas=2&sslVerifyNone=true")))
                .contains("server-template api 2 tasks.api:443 check ssl verify none\n");
    }

    @Test
    void stickyServer_oneSlotPerTask_followedByDns_withAnInsertedCookie() throws Exception {
        ServiceSpec spec = spec("serviceName=shop&servicePath=/shop&port=8080&sessionType=sticky-server&replicas=2");
        ProxyConfig c = ServiceConfigs.build(base(), List.of(spec), ServiceDefaults.DFP);
        assertThat(ConfigRenderer.render(c)).contains("cookie shop insert indirect nocache")
                .contains("server-template shop 2 tasks.shop:8080 check cookie shop\n");
        assertThat(RoutingCompiler.compile(c, null).backend("shop-be8080_0").servers())
                .allSatisfy(s -> assertThat(s.isSlot()).isTrue());
    }

    @Test
    void dnsDiscovery_oneSlotPerReplica_filledFromTheTasksName() throws Exception {
        ServiceDefaults defaults = ServiceDefaults.DFP;
        ServiceSpec spec = ServiceParser.parse(q("serviceName=shop&servicePath=/shop&port=8080&discoveryType=DNS"
                + "&replicas=3&sessionType=sticky-server"), defaults);
        assertThat(spec.warnings()).isEmpty();
        ProxyConfig c = ServiceConfigs.build(base(), List.of(spec), defaults);
        assertThat(ConfigRenderer.render(c)).contains("cookie shop insert indirect nocache")
                .contains("server-template shop 3 tasks.shop:8080 check cookie shop\n");
        var servers = RoutingCompiler.compile(c, null).backend("shop-be8080_0").servers();
        assertThat(servers).extracting(s -> s.name()).containsExactly("shop1", "shop2", "shop3");
        assertThat(servers).allSatisfy(s -> assertThat(s.isSlot()).isTrue());
    }

    @Test
    void dnsDiscovery_withoutReplicas_has16Slots_andOutboundHostnameIsResolvedAsGiven() throws Exception {
        assertThat(ConfigRenderer.render(build(ServiceDefaults.DFP,
                "serviceName=api&servicePath=/api&port=80&discoveryType=DNS")))
                .contains("server-template api 16 tasks.api:80 check\n");
        assertThat(ConfigRenderer.render(build(ServiceDefaults.DFP,
                "serviceName=api&servicePath=/api&port=80&discoveryType=DNS&outboundHostname=tasks.api-v2")))
                .contains("server-template api 16 tasks.api-v2:80 check\n");
        assertThat(ConfigRenderer.render(build(ServiceDefaults.DFP,
                "serviceName=db&reqMode=tcp&srcPort=5432&port=5432&discoveryType=DNS&replicas=2")))
                .contains("server-template db 2 tasks.db:5432 check\n");
    }

    @Test
    void httpsPort_addsAnHttpsBackendOn443_andKeepsPlainTrafficOn80() throws Exception {
        ProxyConfig c = ServiceConfigs.build(base(), List.of(spec("serviceName=web&servicePath=/web&port=8080&httpsPort=8443")),
                ServiceDefaults.DFP);
        String text = ConfigRenderer.render(c);
        assertThat(text).contains("acl srcPort_web80_0 dst_port 80")
                .contains("use_backend web-be8080_0 if url_web8080_0 srcPort_web80_0")
                .contains("acl srcHttpsPort_web443_0 dst_port 443")
                .contains("use_backend https-web-be8443_0 if url_https_web8443_0 srcHttpsPort_web443_0")
                .contains("server web web:8443");
        RoutingCompiler.compile(c, null);
    }
}
