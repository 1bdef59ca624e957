package dev.sluice.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.TcpInspection.Verdict;
import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.ConfigRenderer;
import dev.sluice.routing.config.ParseResult;
import dev.sluice.routing.config.ProxyConfig;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tcp-request content} rules with HAProxy's wait for data, and SNI routing in mode tcp. */
class TcpInspectionTest {

    @TempDir
    Path dir;

    /** A connection as a mode tcp frontend sees it while it reads the ClientHello. */
    private record Conn(String src, String sni, int sslHelloType, boolean helloPending) implements RequestView {
        @Override public String method() { return null; }
        @Override public String uri() { return null; }
        @Override public String path() { return null; }
        @Override public List<String> headerLines(String name) { return List.of(); }
        @Override public InetAddress clientAddress() {
            try {
                return InetAddress.getByName(src);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        @Override public int localPort() { return 443; }
    }

    private static final Conn WAITING = new Conn("192.0.2.1", null, -1, true);
    private static final Conn PLAIN_TEXT = new Conn("192.0.2.1", null, -1, false);

    private static Conn hello(String sni) {
        return new Conn("192.0.2.1", sni, 1, false);
    }

    private ProxyConfig parse(String text) throws Exception {
        ParseResult r = ConfigParser.parse(text, "t.cfg", dir);
        assertThat(r.errors()).isEmpty();
        return r.config();
    }

    private static final String SNI = """
            defaults
                mode tcp
            frontend sni
                bind :443
                tcp-request inspect-delay 5s
                tcp-request content accept if { req_ssl_hello_type 1 }
                acl b_names req.ssl_sni -i -f names.txt
                use_backend a if { req_ssl_sni -i -m beg a. }
                use_backend b if b_names
                default_backend d
            frontend strict
                bind :444
                tcp-request inspect-delay 5s
                tcp-request content accept if { req_ssl_hello_type 1 }
                tcp-request content reject
                default_backend d
            frontend mixed
                bind :445
                tcp-request inspect-delay 5s
                tcp-request content reject if { src 10.0.0.0/8 } { req_ssl_sni -i x.example }
                default_backend d
            backend a
                server a 127.0.0.1:1
            backend b
                server b 127.0.0.1:2
            backend d
                server d 127.0.0.1:3
            """;

    private RoutingTable table() throws Exception {
        Files.writeString(dir.resolve("names.txt"), "# SNI names of b\nb.example\nB2.example\n");
        return RoutingCompiler.compile(parse(SNI), null);
    }

    @Test
    void helloRule_waitsForTheClientHello_thenAccepts_andUseBackendMatchesItsSni() throws Exception {
        Frontend f = table().frontend("sni");
        assertThat(f.tcpInspection().delayMs()).isEqualTo(5000);
        assertThat(f.tcpInspection().maxBytes()).isEqualTo(16384 - 1024);
        assertThat(f.tcpInspection().evaluate(WAITING)).isEqualTo(Verdict.WAIT);
        assertThat(f.tcpInspection().evaluate(hello("a.example"))).isEqualTo(Verdict.ACCEPT);
        assertThat(f.select(hello("a.example")).name()).isEqualTo("a");
        assertThat(f.select(hello("b2.EXAMPLE")).name()).as("-i -f FILE").isEqualTo("b");
        assertThat(f.select(hello("c.example")).name()).isEqualTo("d");
        assertThat(f.select(hello(null)).name()).isEqualTo("d");
    }

    @Test
    void whenNoRuleHolds_theConnectionIsAccepted_unlessARejectRuleFollows() throws Exception {
        RoutingTable t = table();
        assertThat(t.frontend("sni").tcpInspection().evaluate(PLAIN_TEXT)).isEqualTo(Verdict.ACCEPT);
        assertThat(t.frontend("strict").tcpInspection().evaluate(PLAIN_TEXT)).isEqualTo(Verdict.REJECT);
        assertThat(t.frontend("strict").tcpInspection().evaluate(hello(null))).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void aFailedTerm_decidesWithoutWaiting_aMissingOneWaits() throws Exception {
        TcpInspection mixed = table().frontend("mixed").tcpInspection();
        assertThat(mixed.evaluate(WAITING)).as("src fails: no need to wait for the SNI").isEqualTo(Verdict.ACCEPT);
        Conn inside = new Conn("10.1.2.3", null, -1, true);
        assertThat(mixed.evaluate(inside)).isEqualTo(Verdict.WAIT);
        assertThat(mixed.evaluate(new Conn("10.1.2.3", "x.example", 1, false))).isEqualTo(Verdict.REJECT);
        assertThat(mixed.evaluate(new Conn("10.1.2.3", "y.example", 1, false))).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void tcpRequestLines_renderAndParseBackToTheSameConfiguration() throws Exception {
        Files.writeString(dir.resolve("names.txt"), "b.example\n");
        ProxyConfig config = parse(SNI);
        String rendered = ConfigRenderer.render(config);
        assertThat(rendered).contains("tcp-request inspect-delay 5s", "tcp-request content accept if { req_ssl_hello_type 1 }",
                "tcp-request content reject\n");
        assertThat(parse(rendered)).isEqualTo(config);
    }
}
