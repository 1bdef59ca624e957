package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.Bind;
import dev.sluice.routing.RoutingCompiler;
import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.ProxyConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** A TLS bind: the certificate is chosen by SNI, the request is routed as on plain HTTP, and it knows it is TLS. */
class TlsTerminationTest {

    private TestBackend backend;
    private ProxyServer proxy;
    private SelfSignedCertificate shop;
    private SelfSignedCertificate fallback;
    private int port;

    @BeforeEach
    void setUp() throws Exception {
        backend = TestBackend.start("app");
        shop = new SelfSignedCertificate("shop.test");
        fallback = new SelfSignedCertificate("default.test");
        SslContext shopContext = TlsFrontend.alpnServerContext(shop);
        SslContext fallbackContext = TlsFrontend.alpnServerContext(fallback);
        Map<String, SslContext> byName = Map.of("shop.test", shopContext);
        String text = "defaults\n mode http\n timeout connect 2s\n timeout client 10s\n timeout server 10s\n"
                + "frontend fe\n acl secure ssl_fc\n http-request deny deny_status 403 unless secure\n"
                + " default_backend app\n"
                + "backend app\n option forwardfor\n server a 127.0.0.1:" + backend.port() + "\n";
        ProxyConfig config = ConfigParser.parse(text, "tls.cfg", Path.of(".")).config()
                .withBinds("fe", List.of(new Bind("127.0.0.1", 0, true)));
        proxy = ProxyServer.start(RoutingCompiler.compile(config, null), 1,
                sni -> sni == null ? fallbackContext : byName.getOrDefault(sni, fallbackContext));
        port = proxy.ports("fe").get(0);
    }

    @AfterEach
    void tearDown() {
        proxy.close();
        backend.close();
        shop.delete();
        fallback.delete();
    }

    private record Exchange(String subject, String response) {
    }

    private Exchange get(String sni, String path) throws Exception {
        SSLContext ssl = TrustAll.context();
        try (SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            SSLParameters params = socket.getSSLParameters();
            params.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
            socket.setSSLParameters(params);
            socket.startHandshake();
            String subject = ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return new Exchange(subject, out.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void sniPicksTheCertificate_noSniGetsTheDefault_andTheRequestKnowsItIsTls() throws Exception {
        Exchange shopped = get("shop.test", "/cart");
        assertThat(shopped.subject()).isEqualTo("CN=shop.test");
        assertThat(shopped.response()).startsWith("HTTP/1.1 200").contains("server=app")
                .contains("x-forwarded-proto: https");

        Exchange other = get("unknown.test", "/");
        assertThat(other.subject()).isEqualTo("CN=default.test");
        assertThat(other.response()).startsWith("HTTP/1.1 200");

        Exchange none = get(null, "/");
        assertThat(none.subject()).isEqualTo("CN=default.test");
        assertThat(none.response()).startsWith("HTTP/1.1 200");

        // plain HTTP on the TLS port: a failed handshake, counted (HAProxy's ssl_failed_handshake)
        try (java.net.Socket plain = new java.net.Socket("127.0.0.1", port)) {
            plain.setSoTimeout(5000);
            plain.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            plain.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        } catch (java.io.IOException closedOrReset) {
            // the proxy closes the connection: that is the point
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(proxy.table().traffic().frontend("fe").sum(dev.sluice.routing.stats.Traffic.TLS_FAILED_HANDSHAKES))
                        .isEqualTo(1));
    }

    @Test
    void http2_hundredConcurrentStreamsOnOneConnection_reachTheHttp11Backend() throws Exception {
        SSLContext ssl = TrustAll.context();
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().sslContext(ssl)
                .version(java.net.http.HttpClient.Version.HTTP_2).build();
        // one request first, so that the client has its HTTP/2 connection before the burst
        assertThat(client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("https://127.0.0.1:" + port + "/first"))
                .timeout(java.time.Duration.ofSeconds(20)).build(), java.net.http.HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(200);
        List<java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>>> all = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            all.add(client.sendAsync(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("https://127.0.0.1:" + port + "/h2/" + i)).timeout(java.time.Duration.ofSeconds(20)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < 100; i++) {
            java.net.http.HttpResponse<String> r = all.get(i).get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(r.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("server=app", "uri=/h2/" + i, "x-forwarded-proto: https")
                    .doesNotContain("x-http2");
        }
        assertThat(backend.requests()).isEqualTo(101);
        // the statistics count the streams as requests and the connection once
        dev.sluice.routing.stats.Traffic fe = proxy.table().traffic().frontend("fe");
        assertThat(fe.sum(dev.sluice.routing.stats.Traffic.REQUESTS)).isEqualTo(101);
        assertThat(fe.sum(dev.sluice.routing.stats.Traffic.RESPONSES_2XX)).isEqualTo(101);
        assertThat(fe.sum(dev.sluice.routing.stats.Traffic.SESSIONS)).isEqualTo(1);
        assertThat(fe.sum(dev.sluice.routing.stats.Traffic.OPEN)).isEqualTo(1);
        assertThat(proxy.table().traffic().backend("app").sum(dev.sluice.routing.stats.Traffic.RESPONSES_2XX))
                .isEqualTo(101);
    }
}
