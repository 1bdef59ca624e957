package dev.sluice.proxy;

import static dev.sluice.proxy.RawH2Client.HEADERS;
import static dev.sluice.proxy.RawH2Client.body;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.proxy.RawH2Client.Frame;
import dev.sluice.routing.Bind;
import dev.sluice.routing.RoutingCompiler;
import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.ProxyConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An HTTP/2 client's {@code Expect: 100-continue} upload: the server's 100 reaches the client as
 * a HEADERS frame that does not end the stream, the client then sends its body, and the final
 * answer follows on the same stream. The stream used to be reset (CANCEL) when the 100 came back.
 */
class H2InterimResponsesTest {

    private TestBackend backend;
    private SelfSignedCertificate cert;
    private ProxyServer proxy;
    private int port;

    @BeforeEach
    void setUp() throws Exception {
        backend = TestBackend.start("app");
        cert = new SelfSignedCertificate("h2.test");
        SslContext tls = SslContextBuilder.forServer(cert.certificate(), cert.privateKey())
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, "h2", "http/1.1"))
                .build();
        String text = "defaults\n mode http\n timeout connect 2s\n timeout client 10s\n timeout server 10s\n"
                + "frontend fe\n default_backend app\n"
                + "backend app\n server a 127.0.0.1:" + backend.port() + "\n";
        ProxyConfig config = ConfigParser.parse(text, "h2-interim.cfg", Path.of(".")).config()
                .withBinds("fe", List.of(new Bind("127.0.0.1", 0, true)));
        proxy = ProxyServer.start(RoutingCompiler.compile(config, null), 1, sni -> tls);
        port = proxy.ports("fe").get(0);
    }

    @AfterEach
    void tearDown() {
        proxy.close();
        backend.close();
        cert.delete();
    }

    @Test
    void expectContinue_the100IsRelayed_thenTheBodyIsSent_andAnswered() throws Exception {
        try (RawH2Client h2 = new RawH2Client(port)) {
            h2.request(1, "POST", "/upload", Map.of("content-length", "5", "expect", "100-continue"), false);
            Frame interim;
            do {
                interim = h2.read();
            } while (interim.type() != HEADERS);
            assertThat(interim.streamId()).isEqualTo(1);
            assertThat(interim.status()).isEqualTo("100");
            assertThat(interim.endStream()).isFalse();

            h2.data(1, "hello".getBytes(StandardCharsets.US_ASCII), true);
            List<Frame> rest = h2.readStream(1);
            Frame last = rest.get(rest.size() - 1);
            assertThat(last.type()).as("the stream ends with the answer, not a reset: %s", rest).isNotEqualTo(RawH2Client.RST_STREAM);
            Frame head = rest.stream().filter(f -> f.type() == HEADERS).findFirst().orElseThrow();
            assertThat(head.status()).isEqualTo("200");
            assertThat(body(rest, 1)).contains("received=5");
        }
    }
}
