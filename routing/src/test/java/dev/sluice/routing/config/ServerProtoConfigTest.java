package dev.sluice.routing.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.Configs;
import dev.sluice.routing.RoutingTable;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerProtoConfigTest {

    private static List<String> errors(String text) {
        ParseResult r = ConfigParser.parse(text, "bad.cfg", null);
        assertThat(r.config()).isNull();
        return r.errors().stream().map(ConfigMessage::toString).toList();
    }

    @Test
    void protoH2_marksTheServer_andIsRenderedBack() {
        ProxyConfig c = Configs.parse("backend b\n server g 10.0.0.1:50051 proto h2\n server w 10.0.0.2:80\n"
                + " server e 10.0.0.3:80 proto h1\n");
        List<ServerConfig> servers = c.backend("b").servers();
        assertThat(servers).extracting(ServerConfig::h2).containsExactly(true, false, false);
        String rendered = ConfigRenderer.render(c);
        assertThat(rendered).contains("server g 10.0.0.1:50051 proto h2").doesNotContain("proto h1");
        assertThat(Configs.parse(rendered)).isEqualTo(c);
    }

    @Test
    void protoH2_onDefaultServer_appliesToEveryServerAfterIt_andToTemplateSlots() {
        ProxyConfig c = Configs.parse("backend b\n default-server proto h2\n server a a:1\n server b b:1 proto h1\n"
                + " server-template t 2 grpc:50051\n");
        assertThat(c.backend("b").servers()).extracting(ServerConfig::h2).containsExactly(true, false, true, true);
        RoutingTable table = Configs.compile("backend b\n default-server proto h2\n server a a:1\n");
        assertThat(table.backend("b").servers().get(0).h2()).isTrue();
    }

    @Test
    void otherProtocols_areAClearError() {
        assertThat(errors("backend b\n server s a:80 proto fcgi\n"))
                .containsExactly("bad.cfg:2: 'server s proto': 'fcgi' (expected h2, or h1: the default)");
        assertThat(errors("backend b\n default-server proto h3\n"))
                .containsExactly("bad.cfg:2: 'default-server proto': 'h3' (expected h2, or h1: the default)");
        assertThat(errors("backend b\n server s a:80 proto\n"))
                .containsExactly("bad.cfg:2: 'server s': option 'proto' needs a value");
    }

    @Test
    void protoH2_inATcpBackend_isAnError_asInHaproxy() {
        assertThat(errors("backend b\n mode tcp\n server s a:80 proto h2\n"))
                .containsExactly("bad.cfg:3: 'server s proto h2': backend 'b' is in mode tcp "
                        + "(expected mode http: HTTP/2 carries HTTP requests)");
        assertThat(errors("defaults\n mode tcp\nlisten l\n bind :5000\n server s a:80 proto h2\n"))
                .containsExactly("bad.cfg:5: 'server s proto h2': listen 'l' is in mode tcp "
                        + "(expected mode http: HTTP/2 carries HTTP requests)");
    }

    @Test
    void protoH2_withAnHttpCheck_isRefused_butATcpCheckIsFine() {
        assertThat(errors("backend b\n option httpchk GET /health\n server s a:80 proto h2 check\n"))
                .containsExactly("bad.cfg:3: 'server s proto h2 check': HTTP checks (option httpchk) over HTTP/2 "
                        + "are not supported (expected a TCP check: no option httpchk in backend 'b')");
        assertThat(Configs.parse("backend b\n server s a:80 proto h2 check\n").backend("b").servers().get(0).h2())
                .isTrue();
        assertThat(Configs.parse("backend b\n option httpchk GET /health\n server s a:80 proto h2\n"
                + " server t a:81 check\n").backend("b").servers()).hasSize(2);
    }

    @Test
    void protoH2_withSsl_isRefused_untilHttp2OverTlsIsSupported() {
        assertThat(errors("backend b\n server s a:443 ssl verify none proto h2\n"))
                .containsExactly("bad.cfg:2: 'server s proto h2': HTTP/2 over TLS (ssl) to a server is not supported "
                        + "(expected proto h2 without ssl: cleartext h2c, or ssl without proto h2: HTTP/1.1 over TLS)");
        ProxyConfig c = Configs.parse("backend b\n server s a:443 ssl verify none\n server t a:50051 proto h2\n");
        assertThat(Configs.parse(ConfigRenderer.render(c))).isEqualTo(c);
    }
}
