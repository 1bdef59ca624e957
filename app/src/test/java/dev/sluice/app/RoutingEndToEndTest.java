package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.proxy.RawHttpClient;
import dev.sluice.proxy.RawHttpClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;


/** use_backend routing, from configuration text to real origins, through real sockets. */
class RoutingEndToEndTest {

    @RegisterExtension
    static final ProxyFixture sluice = new ProxyFixture();

    private int start(String config) throws Exception {
        return sluice.start(config);
    }

    /** One backend per name, each with the single origin of the same name. */
    private static String backends(String... names) {
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            sb.append("backend ").append(n).append("\n    server s1 {{").append(n).append("}}\n");
        }
        return sb.toString();
    }

    @Test
    void pathFetches_routeToTheirBackends() throws Exception {
        int port = start("""
                frontend fe
                                    use_backend exact if { path /exact }
                    use_backend beg if { path_beg /api/ }
                    use_backend end if { path_end .png }
                    use_backend reg if { path_reg ^/v[0-9]+/items$ }
                    use_backend dir if { path_dir docs }
                    use_backend sub if { path_sub secret }
                    use_backend url if { url_beg /search?q= }
                    default_backend dflt
                """ + backends("exact", "beg", "end", "reg", "dir", "sub", "url", "dflt"));

        assertThat(Http.servedBy(port, "/exact")).isEqualTo("exact");
        assertThat(Http.servedBy(port, "/exact/more")).isEqualTo("dflt");
        assertThat(Http.servedBy(port, "/exact?x=1")).as("path excludes the query").isEqualTo("exact");
        assertThat(Http.servedBy(port, "/api/users")).isEqualTo("beg");
        assertThat(Http.servedBy(port, "/apix")).isEqualTo("dflt");
        assertThat(Http.servedBy(port, "/img/logo.png")).isEqualTo("end");
        assertThat(Http.servedBy(port, "/img/logo.png?v=2")).isEqualTo("end");
        assertThat(Http.servedBy(port, "/v12/items")).isEqualTo("reg");
        assertThat(Http.servedBy(port, "/v12/items/3")).isEqualTo("dflt");
        assertThat(Http.servedBy(port, "/site/docs/intro")).isEqualTo("dir");
        assertThat(Http.servedBy(port, "/site/mydocs/intro")).as("dir matches whole segments").isEqualTo("dflt");
        assertThat(Http.servedBy(port, "/a/topsecret/b")).isEqualTo("sub");
        assertThat(Http.servedBy(port, "/search?q=sluice")).isEqualTo("url");
        assertThat(Http.servedBy(port, "/search")).as("url_beg sees the query, path does not").isEqualTo("dflt");
    }

    @Test
    void hostFetches_matchTheHostHeaderAsSent() throws Exception {
        int port = start("""
                frontend fe
                                    acl host_exact hdr(host) -i example.com
                    acl host_dom hdr_dom(host) -i shop.example
                    acl host_beg hdr_beg(host) admin.
                    acl host_cased hdr(host) Cased.example
                    use_backend exact if host_exact
                    use_backend dom if host_dom
                    use_backend beg if host_beg
                    use_backend cased if host_cased
                    default_backend dflt
                """ + backends("exact", "dom", "beg", "cased", "dflt"));

        assertThat(Http.servedBy(port, "/", "Host: example.com")).isEqualTo("exact");
        assertThat(Http.servedBy(port, "/", "Host: EXAMPLE.Com")).as("-i").isEqualTo("exact");
        // hdr(host) is the header value as sent, port included (HAProxy semantics)
        assertThat(Http.servedBy(port, "/", "Host: example.com:8080")).isEqualTo("dflt");
        assertThat(Http.servedBy(port, "/", "Host: www.example.com")).isEqualTo("dflt");
        assertThat(Http.servedBy(port, "/", "Host: shop.example")).isEqualTo("dom");
        assertThat(Http.servedBy(port, "/", "Host: www.Shop.Example")).isEqualTo("dom");
        assertThat(Http.servedBy(port, "/", "Host: www.shop.example:8443")).as("dom stops at ':'").isEqualTo("dom");
        assertThat(Http.servedBy(port, "/", "Host: myshop.example")).isEqualTo("dflt");
        assertThat(Http.servedBy(port, "/", "Host: admin.example.org")).isEqualTo("beg");
        assertThat(Http.servedBy(port, "/", "Host: Admin.example.org")).as("case-sensitive without -i").isEqualTo("dflt");
        assertThat(Http.servedBy(port, "/", "Host: Cased.example")).isEqualTo("cased");
        assertThat(Http.servedBy(port, "/", "Host: cased.example")).as("case-sensitive without -i").isEqualTo("dflt");
    }

    @Test
    void methodAndHeaderFetches_route() throws Exception {
        int port = start("""
                frontend fe
                                    acl is_post method POST
                    acl acme hdr(X-Tenant) acme
                    acl traced_twice hdr_cnt(X-Trace) ge 2
                    use_backend writes if is_post or METH_PUT
                    use_backend tenant if acme
                    use_backend traced if traced_twice
                    default_backend dflt
                """ + backends("writes", "tenant", "traced", "dflt"));

        assertThat(Http.request(port, "POST", "/", "Content-Length: 0").header("x-server")).isEqualTo("writes");
        assertThat(Http.request(port, "PUT", "/", "Content-Length: 0").header("x-server")).isEqualTo("writes");
        assertThat(Http.request(port, "DELETE", "/").header("x-server")).isEqualTo("dflt");
        assertThat(Http.servedBy(port, "/", "X-Tenant: acme")).isEqualTo("tenant");
        assertThat(Http.servedBy(port, "/", "X-Tenant: other, acme")).as("hdr sees each comma-separated value")
                .isEqualTo("tenant");
        assertThat(Http.servedBy(port, "/", "X-Tenant: ACME")).isEqualTo("dflt");
        assertThat(Http.servedBy(port, "/", "X-Trace: a")).isEqualTo("dflt");
        assertThat(Http.servedBy(port, "/", "X-Trace: a", "X-Trace: b")).isEqualTo("traced");
        assertThat(Http.servedBy(port, "/", "X-Trace: a, b")).as("hdr_cnt counts values").isEqualTo("traced");
    }

    @Test
    void srcNetworks_routeByClientAddress() throws Exception {
        int port = start("""
                frontend fe
                                    acl from_ten src 10.0.0.0/8
                    acl from_loopback src 127.0.0.1/8
                    acl from_two src 127.0.0.2
                    use_backend ten if from_ten
                    use_backend two if from_two
                    use_backend loopback if from_loopback
                    default_backend dflt
                """ + backends("ten", "two", "loopback", "dflt"));

        assertThat(Http.servedByFrom("127.0.0.1", port, "/")).isEqualTo("loopback");
        assertThat(Http.servedByFrom("127.0.0.2", port, "/")).isEqualTo("two");
        assertThat(Http.servedByFrom("127.9.8.7", port, "/")).isEqualTo("loopback");
    }

    @Test
    void dstPort_routesByTheBindTheClientConnectedTo() throws Exception {
        int fixed = freePort();
        int other = freePort();
        start("""
                frontend fe
                    bind 127.0.0.1:%d
                    bind 127.0.0.1:%d
                    use_backend fixed if { dst_port %d }
                    default_backend dflt
                """.formatted(fixed, other, fixed) + backends("fixed", "dflt"));

        assertThat(Http.servedBy(fixed, "/")).isEqualTo("fixed");
        assertThat(Http.servedBy(other, "/")).isEqualTo("dflt");
    }

    @Test
    void conditions_combineNamedAndAnonymousAclsWithOrNotAndUnless() throws Exception {
        int port = start("""
                frontend fe
                                    acl api path_beg /api
                    acl is_get method GET
                    use_backend apiwrite if api !is_get
                    use_backend either if { path_beg /x } or { path_beg /y } is_get
                    use_backend guarded unless { hdr(X-Pass) yes } || { path_beg /open }
                    default_backend dflt
                """ + backends("apiwrite", "either", "guarded", "dflt"));

        assertThat(Http.request(port, "POST", "/api/a", "Content-Length: 0", "X-Pass: yes").header("x-server"))
                .isEqualTo("apiwrite");
        assertThat(Http.servedBy(port, "/api/a", "X-Pass: yes")).isEqualTo("dflt");
        assertThat(Http.servedBy(port, "/x/1")).isEqualTo("either");
        assertThat(Http.servedBy(port, "/y/1")).isEqualTo("either");
        assertThat(Http.request(port, "DELETE", "/y/1", "X-Pass: yes").header("x-server"))
                .as("'and' binds tighter than 'or'").isEqualTo("dflt");
        assertThat(Http.servedBy(port, "/z")).isEqualTo("guarded");
        assertThat(Http.servedBy(port, "/z", "X-Pass: yes")).isEqualTo("dflt");
        assertThat(Http.servedBy(port, "/open/1")).isEqualTo("dflt");
    }

    @Test
    void useBackend_firstMatchingRuleWins() throws Exception {
        int port = start("""
                frontend fe
                                    use_backend first if { path_beg /shop }
                    use_backend second if { path_beg /shop/cart }
                    use_backend second if { path_end .js }
                    default_backend dflt
                """ + backends("first", "second", "dflt"));

        assertThat(Http.servedBy(port, "/shop/cart")).isEqualTo("first");
        assertThat(Http.servedBy(port, "/shop/app.js")).isEqualTo("first");
        assertThat(Http.servedBy(port, "/lib/app.js")).isEqualTo("second");
        assertThat(Http.servedBy(port, "/other")).isEqualTo("dflt");
    }

    @Test
    void noMatchingRuleAndNoDefaultBackend_answers503WithoutAnyOrigin() throws Exception {
        int port = start("""
                frontend fe
                                    use_backend api if { path_beg /api }
                """ + backends("api"));
        int before = sluice.origins().get("api").requests();

        Response r = Http.get(port, "/nothing");

        assertThat(r.status()).isEqualTo(503);
        assertThat(sluice.origins().get("api").requests()).isEqualTo(before);
        assertThat(Http.servedBy(port, "/api/x")).isEqualTo("api");
    }

    @Test
    void listenSection_servesAsFrontendAndBackend() throws Exception {
        RunningProxy proxy = sluice.startProxy("""
                listen both
                                    acl blocked path_beg /blocked
                    http-request deny if blocked
                    http-request add-header X-Once 1
                    http-response add-header X-Resp-Once 1
                    server s1 {{listen}}
                """, null);
        int port = proxy.port("both");

        Response r = Http.get(port, "/anything");
        assertThat(r.header("x-server")).isEqualTo("listen");
        assertThat(r.bodyText().lines().filter(l -> l.equals("x-once: 1"))).as("rules run once, not per half")
                .hasSize(1);
        assertThat(r.headerValues("x-resp-once")).hasSize(1);
        assertThat(Http.get(port, "/blocked").status()).isEqualTo(403);
    }

    @Test
    void moreFetches_matchAsHaproxyDoes() throws Exception {
        int port = start("""
                frontend fe
                    use_backend found if { hdr(X-Debug) -m found }
                    use_backend dir if { path_dir /docs/ }
                    use_backend hostend if { hdr_end(host) .example.com }
                    use_backend base if { base_beg shop.example/cart }
                    use_backend nocount if { hdr_cnt(X-Count) 0 } { path /count }
                    use_backend short if { path -m len 1:3 }
                    default_backend dflt
                """ + backends("found", "dir", "hostend", "base", "nocount", "short", "dflt"));

        assertThat(Http.servedBy(port, "/long/path", "X-Debug:")).as("-m found, empty value").isEqualTo("found");
        assertThat(Http.servedBy(port, "/docs")).isEqualTo("dir");
        assertThat(Http.servedBy(port, "/site/docs/x")).isEqualTo("dir");
        assertThat(Http.servedBy(port, "/long/path", "Host: www.example.com")).isEqualTo("hostend");
        assertThat(Http.servedBy(port, "/long/path", "Host: www.example.com:80")).isEqualTo("dflt");
        assertThat(Http.servedBy(port, "/cart/1", "Host: shop.example")).isEqualTo("base");
        assertThat(Http.servedBy(port, "/cart/1", "Host: other.example")).isEqualTo("dflt");
        assertThat(Http.servedBy(port, "/count")).isEqualTo("nocount");
        assertThat(Http.servedBy(port, "/count", "X-Count: 1")).isEqualTo("dflt");
        assertThat(Http.servedBy(port, "/ab")).isEqualTo("short");
    }

    @Test
    void aclLinesWithTheSameName_areOred() throws Exception {
        int port = start("""
                frontend fe
                    acl static path_beg /img
                    acl static path_end .css
                    use_backend static if static
                    default_backend dflt
                """ + backends("static", "dflt"));

        assertThat(Http.servedBy(port, "/img/a.png")).isEqualTo("static");
        assertThat(Http.servedBy(port, "/site/main.css")).isEqualTo("static");
        assertThat(Http.servedBy(port, "/site/main.js")).isEqualTo("dflt");
    }

    @Test
    void defaultBackend_isInheritedFromDefaults() throws Exception {
        int port = start("""
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 5s
                    timeout server 5s
                    default_backend dflt
                frontend fe
                    use_backend api if { path_beg /api }
                """ + backends("api", "dflt"));

        assertThat(Http.servedBy(port, "/api/x")).isEqualTo("api");
        assertThat(Http.servedBy(port, "/x")).isEqualTo("dflt");
    }

    @Test
    void keepAliveConnection_routesEveryRequestOnItsOwn() throws Exception {
        int port = start("""
                frontend fe
                    use_backend one if { hdr(host) one.example }
                    use_backend api if { path_beg /api }
                    default_backend dflt
                """ + backends("one", "api", "dflt"));

        try (RawHttpClient c = new RawHttpClient(port, Http.TIMEOUT_MS)) {
            assertThat(c.send("GET / HTTP/1.1\r\nHost: one.example\r\n\r\n").read().header("x-server")).isEqualTo("one");
            assertThat(c.send("GET / HTTP/1.1\r\nHost: two.example\r\n\r\n").read().header("x-server")).isEqualTo("dflt");
            assertThat(c.send("GET /api/1 HTTP/1.1\r\nHost: two.example\r\n\r\n").read().header("x-server")).isEqualTo("api");
            assertThat(c.send("GET / HTTP/1.1\r\nHost: one.example\r\n\r\n").read().header("x-server")).isEqualTo("one");
        }
    }

    @Test
    void absoluteFormRequest_isRoutedOnItsPath() throws Exception {
        int port = start("""
                frontend fe
                    use_backend api if { path_beg /api }
                    default_backend dflt
                """ + backends("api", "dflt"));

        assertThat(Http.servedBy(port, "http://abs.example/api/x?y=1", "Host: abs.example")).isEqualTo("api");
        assertThat(Http.servedBy(port, "http://abs.example/web", "Host: abs.example")).isEqualTo("dflt");
    }

    @Test
    void regexEscapesInConfigText_reachTheRegexUnchanged() throws Exception {
        int port = start("""
                frontend fe
                    use_backend digits if { path_reg ^/v\\d+/items$ }
                    use_backend dotted if { hdr_reg(host) ^api\\.example$ }
                    default_backend dflt
                backend digits
                    server s1 {{digits}}
                backend dotted
                    server s1 {{dotted}}
                backend dflt
                    server s1 {{dflt}}
                """);

        assertThat(Http.servedBy(port, "/v12/items")).isEqualTo("digits");
        assertThat(Http.servedBy(port, "/vd/items")).isEqualTo("dflt");
        assertThat(Http.servedBy(port, "/", "Host: api.example")).isEqualTo("dotted");
        assertThat(Http.servedBy(port, "/", "Host: apiXexample")).isEqualTo("dflt");
    }

    @Test
    void monitorUri_isAnsweredBySluiceItself() throws Exception {
        int port = start("""
                frontend fe
                    monitor-uri /lb-health
                    default_backend app
                """ + backends("app"));
        int before = sluice.origins().get("app").requests();

        Response r = Http.get(port, "/lb-health");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).contains("Service ready.");
        assertThat(sluice.origins().get("app").requests()).isEqualTo(before);
        assertThat(Http.servedBy(port, "/lb-health/x")).isEqualTo("app");
    }


    private static int freePort() throws Exception {
        return SluiceProcess.freePort();
    }
}
