package dev.sluice.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.proxy.NamedServer;
import dev.sluice.proxy.ProxyServer;
import dev.sluice.proxy.TrustAll;
import dev.sluice.routing.Bind;
import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.ProxyConfig;
import dev.sluice.routing.service.ServiceDefaults;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** Docker Flow Proxy's reqMode=sni through the admin API: TLS passthrough routed by the client's SNI. */
class SniServiceTest {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ServiceRegistry registry;
    private ProxyServer proxy;
    private AdminServer admin;
    private NamedServer web;
    private NamedServer api;

    @BeforeEach
    void setUp() throws Exception {
        String text = "defaults\n mode http\n timeout connect 2s\n timeout client 10s\n timeout server 10s\n"
                + "frontend services\n";
        ProxyConfig base = ConfigParser.parse(text, "base.cfg", Path.of(".")).config()
                .withBinds("services", List.of(new Bind("127.0.0.1", 0, false)));
        registry = new ServiceRegistry(base, () -> base, ServiceDefaults.DFP, specs -> { }, List.of(), List.of(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        proxy = ProxyServer.start(registry.table(), 1);
        registry.attach(proxy::update);
        admin = AdminServer.start("127.0.0.1", 0, registry, null);
        web = NamedServer.tls("web.example");
        api = NamedServer.tls("api.example");
    }

    @AfterEach
    void tearDown() {
        admin.close();
        registry.close();
        proxy.close();
        web.close();
        api.close();
    }

    private HttpResponse<String> call(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** The subject of the certificate the client saw, and the answer to "hi". */
    private static List<String> tls(int port, String sni) throws Exception {
        try (SSLSocket socket = (SSLSocket) TrustAll.context().getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            SSLParameters params = socket.getSSLParameters();
            params.setServerNames(List.of(new SNIHostName(sni)));
            socket.setSSLParameters(params);
            socket.startHandshake();
            String subject = ((X509Certificate) socket.getSession().getPeerCertificates()[0])
                    .getSubjectX500Principal().getName();
            socket.getOutputStream().write("hi".getBytes(StandardCharsets.US_ASCII));
            byte[] answer = new byte[64];
            int n = socket.getInputStream().read(answer);
            return List.of(subject, new String(answer, 0, n, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void twoSniServicesOnOnePort_eachGetsItsNames_stillEnciphered_andRemoveClosesThePort() throws Exception {
        int srcPort = freePort();
        HttpResponse<String> r = call("/v1/docker-flow-proxy/reconfigure?serviceName=web&reqMode=sni&srcPort=" + srcPort
                + "&port=" + web.port() + "&servicePath=web.&outboundHostname=127.0.0.1");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        r = call("/v1/docker-flow-proxy/reconfigure?serviceName=api&reqMode=sni&srcPort=" + srcPort
                + "&port=" + api.port() + "&servicePath=api.example&pathType=req_ssl_sni%20-i&outboundHostname=127.0.0.1");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

        assertThat(tls(srcPort, "web.example")).containsExactly("CN=web.example", "web.example:hi");
        assertThat(tls(srcPort, "API.example")).containsExactly("CN=api.example", "api.example:hi");
        assertThat(call("/v1/docker-flow-proxy/config").body()).contains("frontend service_" + srcPort,
                "tcp-request content accept if { req_ssl_hello_type 1 }", "acl sni_web" + web.port() + "-1 req_ssl_sni -i -m beg web.");

        assertThat(call("/v1/docker-flow-proxy/remove?serviceName=web").statusCode()).isEqualTo(200);
        assertThat(tls(srcPort, "api.example")).containsExactly("CN=api.example", "api.example:hi");
        assertThat(call("/v1/docker-flow-proxy/remove?serviceName=api").statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", srcPort).close())
                .isInstanceOf(java.net.ConnectException.class);
    }
}
