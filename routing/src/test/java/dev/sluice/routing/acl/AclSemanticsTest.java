package dev.sluice.routing.acl;

import static dev.sluice.routing.TestRequest.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.Configs;
import dev.sluice.routing.RoutingTable;
import dev.sluice.routing.TestRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AclSemanticsTest {

    @TempDir
    Path dir;

    private boolean matches(String acls, String condition, TestRequest request) {
        String text = "frontend f\n bind :80\n" + acls + "\n use_backend hit if " + condition
                      + "\n default_backend miss\nbackend hit\nbackend miss\n";
        RoutingTable table = dev.sluice.routing.RoutingCompiler.compile(Configs.parse(text, dir), null);
        return "hit".equals(Configs.route(table, "f", request));
    }

    private boolean acl(String acl, TestRequest request) {
        return matches(" acl a " + acl, "a", request);
    }

    @Test
    void path_matchesExactlyAndCaseSensitivelyUnlessDashI() {
        assertThat(acl("path /api", get("/api"))).isTrue();
        assertThat(acl("path /api", get("/api?x=1"))).isTrue();
        assertThat(acl("path /api", get("/api/x"))).isFalse();
        assertThat(acl("path /api", get("/API"))).isFalse();
        assertThat(acl("path -i /api", get("/API"))).isTrue();
    }

    @Test
    void pathBeg_pathEnd_pathSub_pathReg() {
        assertThat(acl("path_beg /api", get("/api/users"))).isTrue();
        assertThat(acl("path_beg /api", get("/apix"))).isTrue();
        assertThat(acl("path_beg /api", get("/ap"))).isFalse();
        assertThat(acl("path_beg /a /b", get("/b/1"))).isTrue();
        assertThat(acl("path_end .jpg", get("/img/x.jpg"))).isTrue();
        assertThat(acl("path_end .jpg", get("/img/x.jpg.txt"))).isFalse();
        assertThat(acl("path_sub admin", get("/x/admin/y"))).isTrue();
        assertThat(acl("path_sub admin", get("/x/adm"))).isFalse();
        assertThat(acl("path_reg ^/v[0-9]+/", get("/v12/users"))).isTrue();
        assertThat(acl("path_reg ^/v[0-9]+/", get("/x/v1/"))).isFalse();
        assertThat(acl("path_reg -i ^/API$", get("/api"))).isTrue();
    }

    @Test
    void pathDir_matchesWholeSlashDelimitedSegments() {
        assertThat(acl("path_dir api", get("/v1/api/x"))).isTrue();
        assertThat(acl("path_dir api", get("/api"))).isTrue();
        assertThat(acl("path_dir /api/", get("/api/x"))).isTrue();
        assertThat(acl("path_dir api", get("/apix/y"))).isFalse();
        assertThat(acl("path_dir v1/api", get("/v1/api/z"))).isTrue();
    }

    @Test
    void url_includesTheQueryString() {
        assertThat(acl("url_sub debug=1", get("/x?debug=1"))).isTrue();
        assertThat(acl("path_sub debug=1", get("/x?debug=1"))).isFalse();
        assertThat(acl("url_beg /x?", get("/x?y"))).isTrue();
        assertThat(acl("url /x?y", get("/x?y"))).isTrue();
        assertThat(acl("url_reg y=[0-9]$", get("/x?y=5"))).isTrue();
    }

    @Test
    void hdrHost_seesThePortTheClientSent() {
        assertThat(acl("hdr(host) -i example.com", get("/").host("EXAMPLE.com"))).isTrue();
        assertThat(acl("hdr(host) -i example.com", get("/").host("example.com:8080"))).isFalse();
        assertThat(acl("hdr(host) example.com:8080", get("/").host("example.com:8080"))).isTrue();
        assertThat(acl("hdr(host) example.com", get("/").host("EXAMPLE.com"))).isFalse();
        assertThat(acl("req.hdr(host) -i example.com", get("/").host("example.com"))).isTrue();
        assertThat(acl("hdr(host) example.com", get("/"))).isFalse();
    }

    @Test
    void hdrDom_matchesDotDelimitedLabelsWithOrWithoutPort() {
        assertThat(acl("hdr_dom(host) -i example.com", get("/").host("www.Example.com"))).isTrue();
        assertThat(acl("hdr_dom(host) -i example.com", get("/").host("example.com:8080"))).isTrue();
        assertThat(acl("hdr_dom(host) -i example.com", get("/").host("myexample.com"))).isFalse();
        assertThat(acl("hdr_dom(host) -i example.com", get("/").host("example.community"))).isFalse();
        assertThat(acl("hdr_dom(host) www", get("/").host("www.a.org"))).isTrue();
    }

    @Test
    void hdrBegEndSubRegLen() {
        assertThat(acl("hdr_beg(host) -i api.", get("/").host("API.example.com"))).isTrue();
        assertThat(acl("hdr_beg(host) api.", get("/").host("www.api.com"))).isFalse();
        assertThat(acl("hdr_end(host) .com", get("/").host("a.com"))).isTrue();
        assertThat(acl("hdr_sub(user-agent) curl", get("/").header("User-Agent", "xcurl/8"))).isTrue();
        assertThat(acl("hdr_reg(host) ^[a-z]+\\.org$", get("/").host("abc.org"))).isTrue();
        assertThat(acl("hdr_len(x-k) 3", get("/").header("x-k", "abc"))).isTrue();
        assertThat(acl("hdr_len(x-k) 4:", get("/").header("x-k", "abc"))).isFalse();
    }

    @Test
    void hdr_splitsValuesOnCommasAndCountsThem() {
        TestRequest r = get("/").header("X-Tag", "a, b").header("x-tag", "c");
        assertThat(acl("hdr(x-tag) b", r)).isTrue();
        assertThat(acl("hdr(x-tag) c", r)).isTrue();
        assertThat(acl("hdr(x-tag) a,", r)).isFalse();
        assertThat(acl("hdr_cnt(x-tag) 3", r)).isTrue();
        assertThat(acl("hdr_cnt(x-tag) gt 3", r)).isFalse();
        assertThat(acl("hdr_cnt(x-none) eq 0", r)).isTrue();
    }

    @Test
    void method_andPredefinedMethodAcls() {
        assertThat(acl("method POST", get("/").method("POST"))).isTrue();
        assertThat(acl("method POST", get("/").method("GET"))).isFalse();
        assertThat(matches("", "METH_GET", get("/").method("HEAD"))).isTrue();
        assertThat(matches("", "METH_POST", get("/").method("GET"))).isFalse();
        assertThat(matches("", "TRUE", get("/"))).isTrue();
    }

    @Test
    void src_matchesAddressesAndNetworksOfBothFamilies() {
        assertThat(acl("src 10.0.0.0/8", get("/").client("10.1.2.3"))).isTrue();
        assertThat(acl("src 10.0.0.0/8", get("/").client("11.1.2.3"))).isFalse();
        assertThat(acl("src 192.168.1.7", get("/").client("192.168.1.7"))).isTrue();
        assertThat(acl("src 10.0.0.0/255.255.0.0", get("/").client("10.0.9.9"))).isTrue();
        assertThat(acl("src 10.0.0.0/255.255.0.0", get("/").client("10.1.9.9"))).isFalse();
        assertThat(acl("src 2001:db8::/32", get("/").client("2001:db8:1::5"))).isTrue();
        assertThat(acl("src 2001:db8::/32", get("/").client("2001:db9::5"))).isFalse();
        assertThat(acl("src ::1", get("/").client("::1"))).isTrue();
        assertThat(acl("src 10.0.0.0/8", get("/").client("::1"))).isFalse();
    }

    @Test
    void src_treatsIpv4MappedAddressesAsIpv4() {
        assertThat(acl("src ::ffff:10.0.0.0/104", get("/").client("10.2.3.4"))).isTrue();
        assertThat(acl("src ::ffff:10.2.3.4", get("/").client("10.2.3.4"))).isTrue();
        assertThat(acl("src 10.0.0.0/8", get("/").client("::ffff:10.2.3.4"))).isTrue();
    }

    @Test
    void dstPort_matchesIntegersAndRanges() {
        assertThat(acl("dst_port 80", get("/").localPort(80))).isTrue();
        assertThat(acl("dst_port 8000:8100", get("/").localPort(8050))).isTrue();
        assertThat(acl("dst_port 8000:8100", get("/").localPort(8101))).isFalse();
        assertThat(acl("dst_port :1024", get("/").localPort(443))).isTrue();
        assertThat(acl("dst_port 443 8443", get("/").localPort(8443))).isTrue();
    }

    @Test
    void sniAndSslFc() {
        assertThat(acl("req.ssl_sni -i api.example.com", get("/").sni("API.example.com"))).isTrue();
        assertThat(acl("ssl_fc_sni api.example.com", get("/").sni("www.example.com"))).isFalse();
        assertThat(acl("req.ssl_sni -m end .example.com", get("/").sni("a.example.com"))).isTrue();
        assertThat(matches("", "{ ssl_fc }", get("/").tls(true))).isTrue();
        assertThat(matches("", "!{ ssl_fc }", get("/").tls(true))).isFalse();
    }

    @Test
    void matchMethodFlagOverridesTheFetchDefault() {
        assertThat(acl("path -m beg /api", get("/api/x"))).isTrue();
        assertThat(acl("path -m end /x", get("/api/x"))).isTrue();
        assertThat(acl("path -m sub pi/", get("/api/x"))).isTrue();
        assertThat(acl("path -m reg ^/a.i", get("/api/x"))).isTrue();
        assertThat(acl("path -m dir api", get("/api/x"))).isTrue();
        assertThat(acl("path -m len 6", get("/api/x"))).isTrue();
        assertThat(acl("path -m len 1:5", get("/api/x"))).isFalse();
        assertThat(acl("hdr(host) -m dom example.com", get("/").host("a.example.com"))).isTrue();
        assertThat(acl("path_beg -m str /api", get("/api/x"))).isFalse();
        assertThat(acl("hdr(x-debug) -m found", get("/").header("X-Debug", ""))).isTrue();
        assertThat(acl("hdr(x-debug) -m found", get("/"))).isFalse();
    }

    @Test
    void convertersLowerAndUpper() {
        assertThat(acl("hdr(host),lower example.com", get("/").host("EXAMPLE.COM"))).isTrue();
        assertThat(acl("path,upper /API", get("/api"))).isTrue();
        assertThat(acl("path,upper /api", get("/api"))).isFalse();
    }

    @Test
    void patternFile_isReadWithCommentsAndBlankLinesSkipped() throws Exception {
        Files.writeString(dir.resolve("paths.lst"), "# api paths\n/api\n\n  /v2  \n");
        assertThat(acl("path_beg -f paths.lst", get("/v2/x"))).isTrue();
        assertThat(acl("path_beg -f paths.lst", get("/api"))).isTrue();
        assertThat(acl("path_beg -f paths.lst", get("/#"))).isFalse();
        assertThat(acl("path_beg -f paths.lst /other", get("/other"))).isTrue();
    }

    @Test
    void doubleDash_endsTheFlagsSoPatternsMayStartWithDash() {
        assertThat(acl("hdr(x-n) -- -1", get("/").header("x-n", "-1"))).isTrue();
        assertThat(acl("hdr(x-n) -i -- -A", get("/").header("x-n", "-a"))).isTrue();
    }

    @Test
    void conditions_andOrNotUnlessAnonymous() {
        String acls = " acl api path_beg /api\n acl post method POST\n";
        assertThat(matches(acls, "api post", get("/api").method("POST"))).isTrue();
        assertThat(matches(acls, "api post", get("/api"))).isFalse();
        assertThat(matches(acls, "api or post", get("/x").method("POST"))).isTrue();
        assertThat(matches(acls, "api || post", get("/x"))).isFalse();
        assertThat(matches(acls, "api !post", get("/api"))).isTrue();
        assertThat(matches(acls, "api ! post", get("/api").method("POST"))).isFalse();
        assertThat(matches(acls, "{ path_beg /x } || post", get("/x/1"))).isTrue();
        assertThat(matches(acls, "!{ path_beg /x } api", get("/api"))).isTrue();
        assertThat(matches(acls, "api { hdr(host) -i a.com }", get("/api").host("a.com"))).isTrue();
        assertThat(matches(acls, "api { hdr(host) -i a.com }", get("/api").host("b.com"))).isFalse();
    }

    @Test
    void unless_negatesTheWholeCondition() {
        String text = "frontend f\n acl api path_beg /api\n use_backend hit unless api\n"
                      + " default_backend miss\nbackend hit\nbackend miss\n";
        RoutingTable t = Configs.compile(text);
        assertThat(Configs.route(t, "f", get("/x"))).isEqualTo("hit");
        assertThat(Configs.route(t, "f", get("/api"))).isEqualTo("miss");
    }

    @Test
    void aclLinesWithOneName_areOred() {
        String acls = " acl a path_beg /one\n acl a hdr(host) -i two.com\n";
        assertThat(matches(acls, "a", get("/one/x"))).isTrue();
        assertThat(matches(acls, "a", get("/x").host("two.com"))).isTrue();
        assertThat(matches(acls, "a", get("/x").host("three.com"))).isFalse();
    }

    @Test
    void stringAclWithoutPattern_neverMatches() {
        assertThat(acl("path_beg", get("/"))).isFalse();
    }

    @Test
    void method_standardPatternsMatchExactlyAndOthersOnlyNonStandardMethods() {
        assertThat(acl("method -i get", get("/").method("GET"))).isFalse();
        assertThat(acl("method GET HEAD", get("/").method("HEAD"))).isTrue();
        assertThat(acl("method PURGE", get("/").method("PURGE"))).isTrue();
        assertThat(acl("method -i purge", get("/").method("purge"))).isTrue();
        assertThat(acl("method -i purge", get("/").method("PURGE"))).isTrue();
        assertThat(acl("method purge", get("/").method("PURGE"))).isFalse();
        assertThat(acl("method -m beg PO", get("/").method("POST"))).isTrue();
    }

    @Test
    void src_ipv4ClientsAlsoMatchIpv6NetworksThroughTheirMappedForm() {
        assertThat(acl("src ::/0", get("/").client("127.0.0.1"))).isTrue();
        assertThat(acl("src ::ffff:0:0/96", get("/").client("192.0.2.1"))).isTrue();
        assertThat(acl("src 2001:db8::/32", get("/").client("192.0.2.1"))).isFalse();
    }

    @Test
    void converters_dropTheMatchMethodOfDerivedKeywords() {
        assertThat(acl("path_beg,lower /api", get("/api/x"))).isFalse();
        assertThat(acl("path_beg,lower /api", get("/API"))).isTrue();
        assertThat(acl("path,lower -m beg /api", get("/API/x"))).isTrue();
        assertThat(acl("hdr_dom(host),lower a.com", get("/").host("www.A.com"))).isFalse();
    }

    @Test
    void emptyPattern_endsThePatternList() {
        assertThat(acl("path_beg \"\"", get("/x"))).isFalse();
        assertThat(acl("hdr(x-e) -m str \"\" x", get("/").header("X-E", "x"))).isFalse();
        assertThat(acl("path_beg /x \"\" /y", get("/x"))).isTrue();
        assertThat(acl("path_beg /x \"\" /y", get("/y"))).isFalse();
    }
}
