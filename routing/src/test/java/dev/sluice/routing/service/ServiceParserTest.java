package dev.sluice.routing.service;

import static dev.sluice.routing.service.ServiceConfigsTest.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@code reconfigure} makes of its parameters: the status and message a bad one earns (naming
 * the parameter), and the destinations, users and flags a good one gives, as Docker Flow Proxy's
 * {@code GetServiceFromProvider} reads them. The generated configuration is ServiceConfigsTest's.
 */
class ServiceParserTest {

    private static final Path NO_SECRETS = Path.of("/nonexistent-secrets");

    static ServiceSpec parse(String query) throws ServiceException {
        return parse(query, ServiceDefaults.DFP);
    }

    static ServiceSpec parse(String query, ServiceDefaults defaults) throws ServiceException {
        return ServiceParser.parse(q(query), defaults);
    }

    static ServiceException rejected(String query) {
        return rejected(query, ServiceDefaults.DFP);
    }

    static ServiceException rejected(String query, ServiceDefaults defaults) {
        ServiceException e = catchThrowableOfType(() -> parse(query, defaults), ServiceException.class);
        assertThat(e).as("rejected: " + query).isNotNull();
        return e;
    }

    static ServiceDefaults defaults(String separator, boolean httpsOnly, String users, boolean usersEncrypted,
                                    Path secrets) {
        return new ServiceDefaults(separator, "hdr_beg(host)", "http", httpsOnly, users, usersEncrypted, secrets);
    }

    private static Destination only(ServiceSpec s) {
        assertThat(s.destinations()).hasSize(1);
        return s.destinations().get(0);
    }

    // --- serviceName, port, path/domain, srcPort ---------------------------------------------

    @Test
    void missingServiceName_is400() {
        ServiceException e = rejected("servicePath=/a&port=80");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessage("serviceName parameter is mandatory");
        assertThat(rejected("serviceName=&servicePath=/a&port=80")).hasMessage("serviceName parameter is mandatory");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "-lead", "go/demo", "a:b", "ünicode", ".dot"})
    void invalidServiceName_is400NamingIt(String name) {
        ServiceException e = rejected("serviceName=" + name + "&servicePath=/a&port=80");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessageStartingWith("serviceName: '" + name.trim() + "'");
    }

    @Test
    void stackPrefixedServiceName_isAcceptedAndIsTheAclName() throws Exception {
        ServiceSpec s = parse("serviceName=go-demo_main.v2&servicePath=/demo&port=8080");
        assertThat(s.serviceName()).isEqualTo("go-demo_main.v2");
        assertThat(s.aclName()).isEqualTo("go-demo_main.v2");
        assertThat(parse("serviceName=a&aclName=01-first&servicePath=/demo&port=8080").aclName()).isEqualTo("01-first");
        assertThat(rejected("serviceName=a&aclName=a b&servicePath=/demo&port=8080")).hasMessageStartingWith("aclName: 'a b'");
    }

    @Test
    void missingPort_is400() {
        ServiceException e = rejected("serviceName=a&servicePath=/a");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessage("port parameter is mandatory");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "65536", "80a", "-1", "eighty"})
    void malformedPort_is400NamingIt(String port) {
        ServiceException e = rejected("serviceName=a&servicePath=/a&port=" + port);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessage("port: '" + port + "' (expected a port from 1 to 65535)");
    }

    @Test
    void httpWithoutPathOrDomain_is409() {
        ServiceException e = rejected("serviceName=a&port=80");
        assertThat(e.status()).isEqualTo(409);
        assertThat(e).hasMessageContaining("servicePath or serviceDomain");
        assertThat(rejected("serviceName=a&port=80&reqMode=http").status()).isEqualTo(409);
        assertThat(rejected("serviceName=a").status()).isEqualTo(409);
    }

    @Test
    void tcpWithoutSrcPort_is400() throws Exception {
        ServiceException e = rejected("serviceName=redis&reqMode=tcp&port=6379");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessageContaining("srcPort and port parameters are mandatory");
        assertThat(rejected("serviceName=redis&reqMode=tcp&srcPort=6379").status()).isEqualTo(400);
        Destination d = only(parse("serviceName=redis&reqMode=TCP&srcPort=6379&port=6379"));
        assertThat(d.reqMode()).isEqualTo("tcp");
        assertThat(d.srcPort()).isEqualTo(6379);
    }

    @Test
    void unknownReqMode_is400NamingIt() {
        assertThat(rejected("serviceName=a&servicePath=/a&port=1&reqMode=udp"))
                .hasMessage("reqMode: 'udp' (expected http, tcp or sni)");
        assertThat(rejected("serviceName=a&servicePath.1=/a&port.1=1&reqMode.1=udp"))
                .hasMessageStartingWith("reqMode.1: 'udp'");
    }

    @Test
    void defaultReqModeTcp_appliesWhenReqModeIsAbsent() throws Exception {
        ServiceDefaults tcp = new ServiceDefaults(",", "hdr_beg(host)", "tcp", false, "", false, NO_SECRETS);
        assertThat(rejected("serviceName=a&servicePath=/a&port=1", tcp)).hasMessageContaining("srcPort");
        assertThat(only(parse("serviceName=a&srcPort=7000&port=1", tcp)).reqMode()).isEqualTo("tcp");
    }

    // --- indexed destinations ---------------------------------------------------------------

    @Test
    void indexedDestinations_takeTheUnsuffixedValueAsFallback() throws Exception {
        ServiceSpec s = parse("serviceName=a&port=8080&timeoutServer=30"
                + "&servicePath.1=/one&servicePath.2=/two&port.2=9090&timeoutServer.2=5");
        assertThat(s.destinations()).extracting(Destination::index).containsExactly(1, 2);
        Destination one = s.destinations().get(0);
        Destination two = s.destinations().get(1);
        assertThat(one.servicePath()).containsExactly("/one");
        assertThat(one.port()).isEqualTo(8080);
        assertThat(one.timeoutServer()).isEqualTo(30);
        assertThat(two.servicePath()).containsExactly("/two");
        assertThat(two.port()).isEqualTo(9090);
        assertThat(two.timeoutServer()).isEqualTo(5);
        assertThat(s.warnings()).isEmpty();
    }

    @Test
    void unsuffixedDestination_isDroppedOnceAnIndexedOneExists() throws Exception {
        ServiceSpec s = parse("serviceName=a&servicePath=/root&port=80&servicePath.1=/one");
        assertThat(s.destinations()).extracting(Destination::index).containsExactly(1);
        assertThat(s.destinations().get(0).servicePath()).containsExactly("/one");
        assertThat(s.destinations().get(0).port()).isEqualTo(80);
    }

    @Test
    void allTenIndexesAreRead() throws Exception {
        StringBuilder query = new StringBuilder("serviceName=a&port=80");
        for (int i = 1; i <= 10; i++) {
            query.append("&servicePath.").append(i).append("=/p").append(i);
        }
        ServiceSpec s = parse(query.toString());
        assertThat(s.destinations()).hasSize(10);
        assertThat(s.destinations().get(9).servicePath()).containsExactly("/p10");
        assertThat(s.warnings()).isEmpty();
    }

    @Test
    void anEleventhDestination_isIgnoredWithAWarning() throws Exception {
        StringBuilder query = new StringBuilder("serviceName=a&port=80");
        for (int i = 1; i <= 11; i++) {
            query.append("&servicePath.").append(i).append("=/p").append(i);
        }
        ServiceSpec s = parse(query.toString());
        assertThat(s.destinations()).hasSize(10);
        assertThat(s.warnings()).anySatisfy(w -> assertThat(w).startsWith("servicePath.11 ignored"));
    }

    @Test
    void destinations_stopAtTheFirstGap_andTheWarningNamesWhatWasIgnored() throws Exception {
        ServiceSpec s = parse("serviceName=a&port=80&servicePath.1=/one&servicePath.3=/three&port.3=83&pathType.4=path");
        assertThat(s.destinations()).extracting(Destination::index).containsExactly(1);
        assertThat(s.warnings()).hasSize(3);
        assertThat(s.warnings()).anySatisfy(w -> assertThat(w).startsWith("servicePath.3 ignored")
                .contains("(the last one here is .1)"));
        assertThat(s.warnings()).anySatisfy(w -> assertThat(w).startsWith("port.3 ignored"));
        assertThat(s.warnings()).anySatisfy(w -> assertThat(w).startsWith("pathType.4 ignored"));
    }

    @Test
    void aSuffixWithoutIndexOne_isIgnoredAndTheUnsuffixedDestinationStays() throws Exception {
        ServiceSpec s = parse("serviceName=a&servicePath=/a&port=80&servicePath.2=/b");
        assertThat(s.destinations()).extracting(Destination::index).containsExactly(0);
        assertThat(s.warnings()).containsExactly(
                "servicePath.2 ignored: destinations are numbered .1 to .10 without gaps");
    }

    @Test
    void aDestinationExistsWithAnyOfPathPortDomainOrHttpsPort() throws Exception {
        assertThat(parse("serviceName=a&servicePath=/a&port=80&port.1=81&port.2=82").destinations())
                .extracting(Destination::port).containsExactly(81, 82);
        assertThat(parse("serviceName=a&port=80&serviceDomain.1=a.com&serviceDomain.2=b.com").destinations())
                .extracting(d -> d.serviceDomain().get(0)).containsExactly("a.com", "b.com");
        // a destination made only of, say, a timeout is no destination: .1 ends the list
        assertThat(parse("serviceName=a&servicePath=/a&port=80&timeoutServer.1=5").destinations())
                .extracting(Destination::index).containsExactly(0);
    }

    @Test
    void errorsInAnIndexedDestination_nameTheSuffixedParameter() {
        assertThat(rejected("serviceName=a&servicePath.1=/a&port.1=80&servicePath.2=/b&port.2=x"))
                .hasMessage("port.2: 'x' (expected a port from 1 to 65535)");
        assertThat(rejected("serviceName=a&servicePath.1=/a&port.1=80&timeoutServer.1=soon"))
                .hasMessageStartingWith("timeoutServer.1: 'soon'");
        // an un-suffixed fallback that is wrong is named without the suffix
        assertThat(rejected("serviceName=a&servicePath.1=/a&port=80&timeoutServer=soon"))
                .hasMessageStartingWith("timeoutServer: 'soon'");
    }

    // --- domains --------------------------------------------------------------------------

    @Test
    void domainOnly_servesThePathSlash() throws Exception {
        Destination d = only(parse("serviceName=a&serviceDomain=example.com&port=80"));
        assertThat(d.servicePath()).containsExactly("/");
        assertThat(d.serviceDomain()).containsExactly("example.com");
        assertThat(parse("serviceName=a&serviceDomain=example.com&port=80").hasRoot()).isTrue();
    }

    @Test
    void leadingStarDomain_matchesTheEndOfHost() throws Exception {
        Destination d = only(parse("serviceName=a&serviceDomain=*.example.com,**.example.org&port=80"));
        assertThat(d.serviceDomain()).containsExactly(".example.com", ".example.org");
        assertThat(d.domainAlgo()).isEqualTo("hdr_end(host)");
        assertThat(only(parse("serviceName=a&serviceDomain=example.com&port=80")).domainAlgo())
                .isEqualTo("hdr_beg(host)");
    }

    @Test
    void serviceDomainAlgo_isValidatedAndOverridesTheDefault() throws Exception {
        assertThat(only(parse("serviceName=a&serviceDomain=ex.com&port=80&serviceDomainAlgo=hdr_dom(host)"))
                .domainAlgo()).isEqualTo("hdr_dom(host)");
        ServiceDefaults exact = new ServiceDefaults(",", "hdr(host)", "http", false, "", false, NO_SECRETS);
        assertThat(only(parse("serviceName=a&serviceDomain=ex.com&port=80", exact)).domainAlgo())
                .isEqualTo("hdr(host)");
        ServiceException e = rejected("serviceName=a&serviceDomain=ex.com&port=80&serviceDomainAlgo=hdr(referer)");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessageStartingWith("serviceDomainAlgo: 'hdr(referer)' (expected hdr(host), ");
    }

    @Test
    void serviceDomainMatchAll_matchesSubdomains() throws Exception {
        assertThat(only(parse("serviceName=a&serviceDomain=ex.com&port=80&serviceDomainMatchAll=true")).domainAlgo())
                .isEqualTo("hdr_dom(host)");
        assertThat(only(parse("serviceName=a&serviceDomain=ex.com&port=80&serviceDomainMatchAll=false")).domainAlgo())
                .isEqualTo("hdr_beg(host)");
        assertThat(rejected("serviceName=a&serviceDomain=ex.com&port=80&serviceDomainMatchAll=yes"))
                .hasMessageStartingWith("serviceDomainMatchAll: 'yes'");
    }

    @Test
    void domainsAndPathsWithWhiteSpace_are400() {
        assertThat(rejected("serviceName=a&serviceDomain=ex.com,bad host&port=80"))
                .hasMessage("serviceDomain: 'bad host' (expected domains without white space)");
        assertThat(rejected("serviceName=a&servicePath=/a b&port=80"))
                .hasMessageStartingWith("servicePath: '/a b'");
    }

    // --- SEPARATOR ------------------------------------------------------------------------

    @Test
    void anotherSeparator_splitsEveryListParameter() throws Exception {
        ServiceDefaults semicolon = defaults(";", false, "", false, NO_SECRETS);
        ServiceSpec s = parse("serviceName=a&servicePath=/a;/b&serviceDomain=x.com; y.com&port=80"
                + "&addReqHeader=X-List a,b;X-Other c&allowedMethods=GET;POST", semicolon);
        Destination d = only(s);
        assertThat(d.servicePath()).containsExactly("/a", "/b");
        assertThat(d.serviceDomain()).containsExactly("x.com", "y.com");
        assertThat(d.allowedMethods()).containsExactly("GET", "POST");
        assertThat(s.addReqHeader()).containsExactly("X-List a,b", "X-Other c");
        // with ';' as separator a ',' is part of the value
        assertThat(only(parse("serviceName=a&servicePath=/a,/b&port=80", semicolon)).servicePath())
                .containsExactly("/a,/b");
    }

    @Test
    void multiCharacterSeparator_isHonoured() throws Exception {
        ServiceDefaults sep = defaults("||", false, "", false, NO_SECRETS);
        assertThat(only(parse("serviceName=a&servicePath=/a||/b|c&port=80", sep)).servicePath())
                .containsExactly("/a", "/b|c");
    }

    @Test
    void emptyListItems_areDropped() throws Exception {
        assertThat(only(parse("serviceName=a&servicePath=/a,,/b, &port=80")).servicePath()).containsExactly("/a", "/b");
    }

    // --- https ----------------------------------------------------------------------------

    @Test
    void httpsOnlyDefault_forcesEveryDestination() throws Exception {
        ServiceDefaults httpsOnly = defaults(",", true, "", false, NO_SECRETS);
        ServiceSpec s = parse("serviceName=a&servicePath.1=/a&port.1=80&servicePath.2=/b&port.2=81&httpsOnly.2=false",
                httpsOnly);
        assertThat(s.destinations()).allSatisfy(d -> assertThat(d.httpsOnly()).isTrue());
        assertThat(only(parse("serviceName=a&servicePath=/a&port=80")).httpsOnly()).isFalse();
    }

    @Test
    void unsuffixedHttpsOnly_forcesEveryDestinationAsInDockerFlowProxy() throws Exception {
        // GetServiceFromProvider reads the un-suffixed destination's httpsOnly and, when true,
        // sets it on every destination, whatever httpsOnly.N says
        ServiceSpec s = parse("serviceName=a&httpsOnly=true&servicePath.1=/a&port.1=80"
                + "&servicePath.2=/b&port.2=81&httpsOnly.2=false");
        assertThat(s.destinations()).allSatisfy(d -> assertThat(d.httpsOnly()).isTrue());
        ServiceSpec one = parse("serviceName=a&servicePath.1=/a&port.1=80&servicePath.2=/b&port.2=81&httpsOnly.2=true");
        assertThat(one.destinations()).extracting(Destination::httpsOnly).containsExactly(false, true);
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void httpsRedirectCode_acceptsRedirectStatuses(int code) throws Exception {
        assertThat(only(parse("serviceName=a&servicePath=/a&port=80&httpsOnly=true&httpsRedirectCode=" + code))
                .httpsRedirectCode()).isEqualTo(code);
    }

    @ParameterizedTest
    @ValueSource(strings = {"300", "200", "304", "1000", "moved", "-301"})
    void httpsRedirectCode_otherThanARedirect_is400NamingIt(String code) {
        ServiceException e = rejected("serviceName=a&servicePath=/a&port=80&httpsOnly=true&httpsRedirectCode=" + code);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessageStartingWith("httpsRedirectCode: '" + code + "'");
    }

    @Test
    void httpsRedirectCodeOfADestination_isNamedWithItsSuffix() {
        assertThat(rejected("serviceName=a&servicePath.1=/a&port.1=80&httpsRedirectCode.1=300"))
                .hasMessage("httpsRedirectCode.1: '300' (expected 301, 302, 303, 307 or 308)");
    }

    // --- pathType, regexes ----------------------------------------------------------------

    @Test
    void pathType_defaultsToPathBeg_andIsValidated() throws Exception {
        assertThat(only(parse("serviceName=a&servicePath=/a&port=80")).pathType()).isEqualTo("path_beg");
        assertThat(only(parse("serviceName=a&servicePath=/a&port=80&pathType=path_end")).pathType()).isEqualTo("path_end");
        ServiceException e = rejected("serviceName=a&servicePath=/a&port=80&pathType=path_begin");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessageStartingWith("pathType: 'path_begin' (expected path, path_beg, ");
        assertThat(rejected("serviceName=a&servicePath.1=/a&port.1=80&pathType.1=regex"))
                .hasMessageStartingWith("pathType.1: 'regex'");
    }

    @Test
    void regexPathTypes_checkThePathsAsRegexes() throws Exception {
        assertThat(only(parse("serviceName=a&servicePath=^/api/v[0-9]+/&port=80&pathType=path_reg")).servicePath())
                .containsExactly("^/api/v[0-9]+/");
        ServiceException e = rejected("serviceName=a&servicePath=/(unclosed&port=80&pathType=path_reg");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessageStartingWith("servicePath: '/(unclosed' (expected a regular expression");
        assertThat(rejected("serviceName=a&servicePath.1=/[a&port.1=80&pathType=url_reg"))
                .hasMessageStartingWith("servicePath.1: '/[a'");
        // the same text is a plain prefix under path_beg
        assertThat(only(parse("serviceName=a&servicePath=/(unclosed&port=80")).servicePath())
                .containsExactly("/(unclosed");
    }

    // --- reqPathSearchReplace -------------------------------------------------------------

    @Test
    void reqPathSearchReplace_readsPairsSeparatedByColons() throws Exception {
        Destination d = only(parse("serviceName=a&servicePath=/a&port=80&reqPathSearchReplace=/a,/b:^/x/(.*),/y/\\1"));
        assertThat(d.reqPathSearchReplace()).containsExactly(
                new SearchReplace("/a", "/b"), new SearchReplace("^/x/(.*)", "/y/\\1"));
    }

    @Test
    void reqPathSearchReplace_emptyReplacementRemovesTheMatch() throws Exception {
        Destination d = only(parse("serviceName=a&servicePath=/api&port=80&reqPathSearchReplace=^/api,"));
        assertThat(d.reqPathSearchReplace()).containsExactly(new SearchReplace("^/api", ""));
    }

    @Test
    void deprecatedReqPathSearchAndReplace_comeFirst() throws Exception {
        Destination d = only(parse("serviceName=a&servicePath=/a&port=80&reqPathSearch=/old/&reqPathReplace=/new/"
                + "&reqPathSearchReplace=/a,/b"));
        assertThat(d.reqPathSearchReplace()).containsExactly(
                new SearchReplace("/old/", "/new/"), new SearchReplace("/a", "/b"));
        assertThat(rejected("serviceName=a&servicePath=/a&port=80&reqPathSearch=(x"))
                .hasMessageStartingWith("reqPathSearch: '(x'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/a                  | /a",
            ",/b                 | ,/b",
            "/a,/b:nocomma       | nocomma",
            "(x,/y               | (x",
            "/a,/b%[src]         | /a,/b%[src]",
            "/a b,/c             | /a b"})
    void malformedReqPathSearchReplace_is400NamingThePair(String value, String named) {
        ServiceException e = rejected("serviceName=a&servicePath=/a&port=80&reqPathSearchReplace=" + value);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessageStartingWith("reqPathSearchReplace: '" + named + "'");
    }

    @Test
    void reqPathSearchReplace_replacementMayOnlyNameTheSearchsGroups() throws Exception {
        assertThat(only(parse("serviceName=a&servicePath=/a&port=80&reqPathSearchReplace=/(a)/(b),/\\2/\\1/\\0"))
                .reqPathSearchReplace()).containsExactly(new SearchReplace("/(a)/(b)", "/\\2/\\1/\\0"));
        ServiceException e = rejected("serviceName=a&servicePath=/a&port=80&reqPathSearchReplace=/a,/\\1");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessage("reqPathSearchReplace: '/a,/\\1' (expected a replacement naming only the 0 group(s) "
                + "of its search (\\0 to \\0))");
        assertThat(rejected("serviceName=a&servicePath=/a&port=80&reqPathSearch=/(a)&reqPathReplace=\\2"))
                .hasMessageStartingWith("reqPathSearch: '/(a),\\2'");
    }

    @Test
    void reqPathSearchReplace_searchMayHaveSixGroups() throws Exception {
        assertThat(only(parse("serviceName=a&servicePath=/a&port=80&reqPathSearchReplace=(a)(b)(c)(d)(e)(f)[g]+,x"))
                .reqPathSearchReplace()).hasSize(1);
        assertThat(rejected("serviceName=a&servicePath=/a&port=80&reqPathSearchReplace=(a)(b)(c)(d)(e)(f)(g),x"))
                .hasMessageStartingWith("reqPathSearchReplace: '(a)(b)(c)(d)(e)(f)(g)' (expected a regular expression "
                        + "with at most 6 groups");
    }

    @Test
    void reqPathSearchReplace_aColonAlwaysSeparatesPairs() {
        // as in Docker Flow Proxy: a search cannot contain ':'
        assertThat(rejected("serviceName=a&servicePath=/a&port=80&reqPathSearchReplace=(?:a),b"))
                .hasMessageStartingWith("reqPathSearchReplace: '(?'");
    }

    @Test
    void reqPathSearchReplaceOfADestination_isNamedWithItsSuffix() {
        assertThat(rejected("serviceName=a&servicePath.1=/a&port.1=80&reqPathSearchReplace.1=[,x"))
                .hasMessageStartingWith("reqPathSearchReplace.1: '['");
    }

    // --- headers --------------------------------------------------------------------------

    @Test
    void headers_areNameSpaceValue() throws Exception {
        ServiceSpec s = parse("serviceName=a&servicePath=/a&port=80&addReqHeader=X-A one two,X-B b"
                + "&setReqHeader=X-C c&addResHeader=X-D d&setResHeader=X-E e&delReqHeader=X-F&delResHeader=Server");
        assertThat(s.addReqHeader()).containsExactly("X-A one two", "X-B b");
        assertThat(s.setReqHeader()).containsExactly("X-C c");
        assertThat(s.addResHeader()).containsExactly("X-D d");
        assertThat(s.setResHeader()).containsExactly("X-E e");
        assertThat(s.delReqHeader()).containsExactly("X-F");
        assertThat(s.delResHeader()).containsExactly("Server");
    }

    @Test
    void deprecatedAddHeaderAndSetHeader_areTheRequestHeaders() throws Exception {
        ServiceSpec s = parse("serviceName=a&servicePath=/a&port=80&addHeader=X-A a&setHeader=X-B b");
        assertThat(s.addReqHeader()).containsExactly("X-A a");
        assertThat(s.setReqHeader()).containsExactly("X-B b");
        ServiceSpec both = parse("serviceName=a&servicePath=/a&port=80&addHeader=X-Old a&addReqHeader=X-New b");
        assertThat(both.addReqHeader()).containsExactly("X-New b");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "addReqHeader | X-Only-Name",
            "addReqHeader | X-A:b",
            "setReqHeader | Bad(Name) v",
            "addResHeader | X-Client %[src]",
            "setResHeader | X-Pct 100%"})
    void malformedHeaders_are400NamingTheParameter(String param, String value) {
        ServiceException e = rejected("serviceName=a&servicePath=/a&port=80&" + param + "=" + value);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessageStartingWith(param + ": '" + value + "'");
    }

    @Test
    void deletedHeaderNames_areTokens() {
        assertThat(rejected("serviceName=a&servicePath=/a&port=80&delReqHeader=X A"))
                .hasMessageStartingWith("delReqHeader: 'X A'");
        assertThat(rejected("serviceName=a&servicePath=/a&port=80&delResHeader=X:Y"))
                .hasMessageStartingWith("delResHeader: 'X:Y'");
    }

    @Test
    void serviceHeader_isHeaderColonValue() throws Exception {
        assertThat(only(parse("serviceName=a&servicePath=/a&port=80&serviceHeader=X-Version: 2,X-Env:prod"))
                .serviceHeader()).containsExactly(Map.entry("X-Version", "2"), Map.entry("X-Env", "prod"));
        assertThat(rejected("serviceName=a&servicePath=/a&port=80&serviceHeader=X-Version"))
                .hasMessageStartingWith("serviceHeader: 'X-Version'");
        assertThat(rejected("serviceName=a&servicePath=/a&port=80&serviceHeader=X:1:2"))
                .hasMessageStartingWith("serviceHeader: 'X:1:2'");
    }

    @Test
    void methods_areLettersOnly() throws Exception {
        Destination d = only(parse("serviceName=a&servicePath=/a&port=80&allowedMethods=GET,HEAD&deniedMethods=DELETE"));
        assertThat(d.allowedMethods()).containsExactly("GET", "HEAD");
        assertThat(d.deniedMethods()).containsExactly("DELETE");
        assertThat(rejected("serviceName=a&servicePath=/a&port=80&deniedMethods=GET POST"))
                .hasMessageStartingWith("deniedMethods: 'GET POST'");
    }

    // --- users ----------------------------------------------------------------------------

    @Test
    void users_withPasswords() throws Exception {
        ServiceSpec s = parse("serviceName=a&servicePath=/a&port=80&users=u1:p1, u2 : p2");
        assertThat(s.users()).containsExactly(new ServiceUser("u1", "p1", false), new ServiceUser("u2", "p2", false));
        assertThat(s.useGlobalUsers()).isFalse();
    }

    @Test
    void passwordMayContainAColon() throws Exception {
        assertThat(parse("serviceName=a&servicePath=/a&port=80&users=u:p:q").users())
                .containsExactly(new ServiceUser("u", "p:q", false));
    }

    @Test
    void usersPassEncrypted_marksThePasswordsAsHashes() throws Exception {
        ServiceSpec s = parse("serviceName=a&servicePath=/a&port=80&users=u:$6$salt$hash&usersPassEncrypted=true");
        assertThat(s.users()).containsExactly(new ServiceUser("u", "$6$salt$hash", true));
    }

    @Test
    void userWithoutPassword_borrowsItFromUsers() throws Exception {
        ServiceDefaults global = defaults(",", false, "admin:adminpass,ops:opspass", false, NO_SECRETS);
        ServiceSpec s = parse("serviceName=a&servicePath=/a&port=80&users=ADMIN,own:ownpass", global);
        // the name is compared without case, the service's spelling kept
        assertThat(s.users()).containsExactly(new ServiceUser("ADMIN", "adminpass", false),
                new ServiceUser("own", "ownpass", false));
        assertThat(s.useGlobalUsers()).isTrue();
    }

    @Test
    void userWithoutPassword_borrowsUsersPassEncryptedFromUsers() throws Exception {
        ServiceDefaults global = defaults(",", false, "admin:$apr1$x$y", true, NO_SECRETS);
        assertThat(parse("serviceName=a&servicePath=/a&port=80&users=admin", global).users())
                .containsExactly(new ServiceUser("admin", "$apr1$x$y", true));
    }

    @Test
    void userWithoutPassword_borrowsItFromTheUsersSecret(@TempDir Path secrets) throws Exception {
        Files.writeString(secrets.resolve("dfp_users_team"), "alice:alicepass\nbob:bobpass\n");
        ServiceDefaults d = defaults(",", false, "alice:fromUSERS", false, secrets);
        ServiceSpec s = parse("serviceName=a&servicePath=/a&port=80&users=alice&usersSecret=team", d);
        // the secret, not USERS, lends the password when usersSecret is given
        assertThat(s.users()).containsExactly(new ServiceUser("alice", "alicepass", false));
    }

    @Test
    void usersSecretAlone_givesAllItsUsers(@TempDir Path secrets) throws Exception {
        Files.writeString(secrets.resolve("dfp_users_team"), "alice:h1,bob:h2\ncarol\n");
        ServiceSpec s = parse("serviceName=a&servicePath=/a&port=80&usersSecret=team&usersPassEncrypted=true",
                defaults(",", false, "", false, secrets));
        assertThat(s.users()).containsExactly(new ServiceUser("alice", "h1", true), new ServiceUser("bob", "h2", true));
    }

    @Test
    void missingUsersSecret_is400(@TempDir Path secrets) {
        ServiceException e = rejected("serviceName=a&servicePath=/a&port=80&usersSecret=nope",
                defaults(",", false, "", false, secrets));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessageStartingWith("usersSecret: cannot read ").hasMessageContaining("dfp_users_nope");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc", "a/b", "x y"})
    void usersSecretThatIsNotAName_is400(String name, @TempDir Path secrets) {
        assertThat(rejected("serviceName=a&servicePath=/a&port=80&usersSecret=" + name,
                defaults(",", false, "", false, secrets))).hasMessageStartingWith("usersSecret: '" + name + "'");
    }

    @Test
    void userWhosePasswordCannotBeFound_is400NamingTheUser(@TempDir Path secrets) throws Exception {
        ServiceException e = rejected("serviceName=a&servicePath=/a&port=80&users=ghost");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessageStartingWith("users: no password for user 'ghost' of service a");
        ServiceDefaults global = defaults(",", false, "admin:x", false, NO_SECRETS);
        assertThat(rejected("serviceName=a&servicePath=/a&port=80&users=admin,ghost", global))
                .hasMessageContaining("'ghost'");
        Files.writeString(secrets.resolve("dfp_users_team"), "alice:p\n");
        assertThat(rejected("serviceName=a&servicePath=/a&port=80&users=admin&usersSecret=team",
                defaults(",", false, "admin:x", false, secrets))).hasMessageContaining("'admin'");
    }

    @Test
    void userEntryWithAnEmptyNameOrPassword_is400() {
        assertThat(rejected("serviceName=a&servicePath=/a&port=80&users=:p").status()).isEqualTo(400);
        assertThat(rejected("serviceName=a&servicePath=/a&port=80&users=u:")).hasMessageStartingWith("users: ")
                .hasMessageContaining("'u'");
    }

    @Test
    void describe_neverShowsAPassword(@TempDir Path secrets) throws Exception {
        Files.writeString(secrets.resolve("dfp_users_team"), "alice:secretFromFile\n");
        ServiceDefaults d = defaults(",", false, "root:secretFromUSERS", false, secrets);
        ServiceSpec s = parse("serviceName=a&servicePath=/a&port=80&users=root,bob:secretInQuery", d);
        ServiceSpec fromFile = parse("serviceName=b&servicePath=/b&port=80&usersSecret=team", d);
        for (ServiceSpec spec : List.of(s, fromFile)) {
            String text = spec.describe().toString();
            assertThat(text).doesNotContain("secretFromFile", "secretFromUSERS", "secretInQuery")
                    .contains("<redacted>");
            assertThat(spec.users().toString()).doesNotContain("secret");
        }
        assertThat(s.describe().toString()).contains("Username=root", "Username=bob");
    }

    // --- booleans, numbers, names ---------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"1", "t", "T", "TRUE", "true", "True"})
    void goParseBoolTrue(String value) throws Exception {
        ServiceSpec s = parse("serviceName=a&servicePath=/a&port=80&isDefaultBackend=" + value + "&denyHttp=" + value);
        assertThat(s.isDefaultBackend()).isTrue();
        assertThat(only(s).denyHttp()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "f", "F", "FALSE", "false", "False"})
    void goParseBoolFalse(String value) throws Exception {
        ServiceSpec s = parse("serviceName=a&servicePath=/a&port=80&isDefaultBackend=" + value + "&denyHttp=" + value);
        assertThat(s.isDefaultBackend()).isFalse();
        assertThat(only(s).denyHttp()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "no", "on", "tRUE", "2", "y"})
    void notAGoBool_is400NamingTheParameter(String value) {
        for (String param : List.of("isDefaultBackend", "redirectWhenHttpProto", "distribute", "checkResolvers",
                "usersPassEncrypted", "httpsOnly", "denyHttp", "ignoreAuthorization", "checkTcp", "clitcpka",
                "verifyClientSsl", "sslVerifyNone")) {
            ServiceException e = rejected("serviceName=a&servicePath=/a&port=80&" + param + "=" + value);
            assertThat(e.status()).as(param).isEqualTo(400);
            assertThat(e).as(param).hasMessage(param + ": '" + value + "' (expected true or false)");
        }
        assertThat(rejected("serviceName=a&servicePath.1=/a&port.1=80&httpsOnly.1=" + value))
                .hasMessageStartingWith("httpsOnly.1: ");
    }

    @Test
    void timeouts_areSeconds() throws Exception {
        Destination d = only(parse("serviceName=a&servicePath=/a&port=80&timeoutServer=0&timeoutTunnel=3600"));
        assertThat(d.timeoutServer()).isZero();
        assertThat(d.timeoutTunnel()).isEqualTo(3600);
        assertThat(d.timeoutClient()).isEqualTo(-1);
        assertThat(only(parse("serviceName=r&reqMode=tcp&srcPort=6000&port=6000&timeoutClient=15")).timeoutClient())
                .isEqualTo(15);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "30s", "1.5", "2147484", "forever"})
    void malformedTimeout_is400NamingIt(String value) {
        for (String param : List.of("timeoutServer", "timeoutTunnel", "timeoutClient")) {
            ServiceException e = rejected("serviceName=a&servicePath=/a&port=80&" + param + "=" + value);
            assertThat(e.status()).isEqualTo(400);
            assertThat(e).hasMessage(param + ": '" + value + "' (expected an integer from 0 to 2147483)");
        }
    }

    @Test
    void replicas() throws Exception {
        assertThat(parse("serviceName=a&servicePath=/a&port=80").replicas()).isEqualTo(-1);
        assertThat(parse("serviceName=a&servicePath=/a&port=80&replicas=3").replicas()).isEqualTo(3);
        assertThat(parse("serviceName=a&servicePath=/a&port=80&replicas=0").replicas()).isZero();
        for (String bad : List.of("-1", "two", "1.0")) {
            ServiceException e = rejected("serviceName=a&servicePath=/a&port=80&replicas=" + bad);
            assertThat(e.status()).isEqualTo(400);
            assertThat(e).hasMessageStartingWith("replicas: '" + bad + "'");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"backend.internal", "10.0.0.7", "my_host-1", "::1", "[fe80::1]"})
    void outboundHostname_isAHostOrAddress(String host) throws Exception {
        Destination d = only(parse("serviceName=a&servicePath=/a&port=80&outboundHostname=" + host));
        assertThat(d.outboundHostname()).isEqualTo(host);
        assertThat(d.upstreamHost("a")).isEqualTo(host);
        assertThat(only(parse("serviceName=a&servicePath=/a&port=80")).upstreamHost("a")).isEqualTo("a");
    }

    @ParameterizedTest
    @ValueSource(strings = {"host:8080", "http://x", "a b", "-lead", "a/b"})
    void outboundHostnameThatIsNotAHost_is400(String host) {
        ServiceException e = rejected("serviceName=a&servicePath=/a&port=80&outboundHostname=" + host);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessage("outboundHostname: '" + host + "' (expected a host name or IP address)");
    }

    @Test
    void connectionMode_isOneOfHAProxysModes() throws Exception {
        assertThat(parse("serviceName=a&servicePath=/a&port=80&connectionMode=http-server-close").connectionMode())
                .isEqualTo("http-server-close");
        assertThat(rejected("serviceName=a&servicePath=/a&port=80&connectionMode=http-tunnel"))
                .hasMessageStartingWith("connectionMode: 'http-tunnel'");
    }

    // --- refused and ignored parameters ---------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "templateFePath=/cfg/fe.tmpl  | templateFePath is not supported: Sluice does not render HAProxy templates",
            "templateBePath=/cfg/be.tmpl  | templateBePath is not supported: Sluice does not render HAProxy templates",
            "backendExtra=option httplog  | backendExtra is not supported: raw HAProxy backend lines",
            "serviceGroup=g               | serviceGroup is not supported: TCP service groups",
            "balanceGroup=leastconn       | balanceGroup is not supported: TCP service groups",
            "sessionType=sticky-client    | sessionType: 'sticky-client' (expected sticky-server)",
            "verifyClientSsl=maybe        | verifyClientSsl: 'maybe' (expected true or false)",
            "serviceCert=-----BEGIN       | serviceCert is not accepted here: it is taken only by the admin API"})
    void unsupportedParameters_are400WithTheirReason(String param, String message) {
        ServiceException e = rejected("serviceName=a&servicePath=/a&port=80&" + param);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessageStartingWith(message);
    }

    @Test
    void sni_needsServerNames_andTakesAnSniPathType() {
        assertThat(rejected("serviceName=a&reqMode=sni&srcPort=443&port=443"))
                .hasMessageStartingWith("servicePath is mandatory for reqMode sni");
        assertThat(rejected("serviceName=a&reqMode=sni&srcPort=443&port=443&servicePath=a.&pathType=path_beg"))
                .hasMessageStartingWith("pathType: 'path_beg' (expected req_ssl_sni or req.ssl_sni");
        assertThat(rejected("serviceName=a&reqMode=sni&srcPort=443&port=443&servicePath=(&pathType=req.ssl_sni -m reg"))
                .hasMessageStartingWith("servicePath: '(' (expected a regular expression");
    }

    @Test
    void unsupportedPerDestinationParameters_areRefusedWithTheirSuffix() {
        assertThat(rejected("serviceName=a&servicePath.1=/a&port.1=80&servicePath.2=/b&port.2=81&verifyClientSsl.2=maybe"))
                .hasMessageStartingWith("verifyClientSsl.2: 'maybe'");
        // Docker Flow Proxy reads serviceGroup and balanceGroup per destination
        assertThat(rejected("serviceName=a&servicePath.1=/a&port.1=80&serviceGroup.1=g"))
                .hasMessageStartingWith("serviceGroup.1 is not supported: TCP service groups");
        assertThat(rejected("serviceName=r&reqMode=tcp&srcPort=7000&port=7000&balanceGroup.1=leastconn"))
                .hasMessageStartingWith("balanceGroup.1 is not supported");
    }

    @Test
    void unsupportedFlagsSetToFalse_orOverlayDiscovery_areAccepted() throws Exception {
        assertThat(parse("serviceName=a&servicePath=/a&port=80&verifyClientSsl=false&sslVerifyNone=false"
                + "&discoveryType=Overlay").warnings()).isEmpty();
        assertThat(rejected("serviceName=a&servicePath=/a&port=80&discoveryType=consul"))
                .hasMessageStartingWith("discoveryType: 'consul'");
    }

    @Test
    void unknownParameters_areAcceptedWithAWarning_monitorOnesSilently() throws Exception {
        ServiceSpec s = parse("serviceName=a&servicePath=/a&port=80&colour=blue&users.1=x:y"
                + "&alertName=mem&alertIf.1=@service_mem_limit:0.8&scrapePort=9100&scrapeNetwork=mon");
        assertThat(s.warnings()).containsExactly("ignored unknown parameter(s): colour, users.1");
        assertThat(s.users()).isEmpty();
    }

    @Test
    void knownButIgnoredParameters_areAcceptedWithoutAWarning() throws Exception {
        ServiceSpec s = parse("serviceName=a&servicePath=/a&port=80&distribute=true&proxyInstanceName=p"
                + "&userDef=anything&checkResolvers=true");
        assertThat(s.warnings()).isEmpty();
        assertThat(parse("serviceName=a&servicePath=/a&port=80&compressionAlgo=gzip").warnings())
                .containsExactly("compressionAlgo/compressionType ignored: Sluice does not compress responses");
    }

    @Test
    void paramsAreKeptAsGiven_andParseAgainToAnEqualSpec() throws Exception {
        ServiceDefaults d = defaults(";", true, "admin:x", false, NO_SECRETS);
        ServiceSpec s = parse("serviceName=a&servicePath.1=/a;/b&port.1=80&users=admin&serviceDomain=*.ex.com", d);
        assertThat(ServiceParser.parse(s.params(), d)).isEqualTo(s);
    }
}
