package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.Bind;
import dev.sluice.routing.RoutingCompiler;
import dev.sluice.routing.RoutingTable;
import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.ParseResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS from the proxy to backend servers ({@code server ... ssl}), against real TLS backends. */
class OriginTlsTest {

    static TestPki.Issued ca;
    static TestPki.Issued trusted;
    static TestPki.Issued untrusted;
    static TestPki.Issued client;

    @TempDir
    static Path dir;
    static Path caFile;
    static Path clientFile;

    private final List<TestBackend> backends = new ArrayList<>();
    private ProxyServer proxy;
    private int port;

    @BeforeAll
    static void pki() throws Exception {
        ca = TestPki.ca("Test CA");
        trusted = TestPki.issue(ca, "api.test", "*.api.test");
        untrusted = TestPki.issue(null, "api.test");
        client = TestPki.issue(ca, "proxy.client");
        caFile = ca.writeCertificate(dir.resolve("ca.pem"));
        clientFile = client.write(dir.resolve("client.pem"));
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        backends.forEach(TestBackend::close);
    }

    private TestBackend tls(String name, TestPki.Issued cert) throws Exception {
        TestBackend b = TestBackend.startTls(name, cert.serverContext());
        backends.add(b);
        return b;
    }

    private TestBackend plain(String name) {
        TestBackend b = TestBackend.start(name);
        backends.add(b);
        return b;
    }

    private void start(String config) throws Exception {
        ParseResult r = ConfigParser.parse("defaults\n mode http\n timeout connect 5s\n timeout client 10s\n"
                + " timeout server 10s\nfrontend fe\n bind 127.0.0.1:1\n default_backend be\n" + config, "tls.cfg", dir);
        assertThat(r.errors()).isEmpty();
        RoutingTable table = RoutingCompiler.compile(r.config().withBinds("fe", List.of(new Bind("127.0.0.1", 0, false))), null);
        proxy = ProxyServer.start(table, 2);
        port = proxy.ports("fe").get(0);
    }

    private RawHttpClient.Response get(String path) throws Exception {
        try (RawHttpClient c = new RawHttpClient(port)) {
            return c.get(path);
        }
    }

    @Test
    void verifyNone_reachesATlsBackend_withoutSni() throws Exception {
        TestBackend b = tls("tls1", untrusted);
        start("backend be\n server s 127.0.0.1:" + b.port() + " ssl verify none\n");
        RawHttpClient.Response r = get("/hello");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).startsWith("server=tls1\n").contains("uri=/hello");
        assertThat(b.lastSni()).isEmpty(); // HAProxy sends no SNI unless sni is set
    }

    @Test
    void verifyRequired_acceptsACertificateOfTheCaFile() throws Exception {
        TestBackend b = tls("good", trusted);
        start("backend be\n server s 127.0.0.1:" + b.port() + " ssl verify required ca-file ca.pem\n");
        assertThat(get("/").bodyText()).startsWith("server=good\n");
    }

    @Test
    void untrustedCertificate_is503_orRedispatchedToAnotherServer() throws Exception {
        TestBackend bad = tls("bad", untrusted);
        TestBackend other = plain("other");
        start("backend be\n server s 127.0.0.1:" + bad.port() + " ssl ca-file " + caFile + "\n");
        assertThat(get("/").status()).isEqualTo(503);
        assertThat(proxy.table().backend("be").servers().get(0).state().lastError())
                .contains("SSL handshake failure");
        proxy.close();

        start("backend be\n balance first\n retries 2\n option redispatch\n"
                + " server s 127.0.0.1:" + bad.port() + " ssl ca-file " + caFile + "\n"
                + " server o 127.0.0.1:" + other.port() + "\n");
        RawHttpClient.Response r = get("/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).startsWith("server=other\n");
        assertThat(bad.requests()).isZero();
    }

    @Test
    void sniStr_isSent_andTheCertificateMustHoldThatName() throws Exception {
        TestBackend b = tls("api", trusted);
        start("backend be\n server s 127.0.0.1:" + b.port() + " ssl verify required ca-file ca.pem sni str(v1.api.test)\n");
        assertThat(get("/").bodyText()).startsWith("server=api\n");
        assertThat(b.lastSni()).isEqualTo("v1.api.test");
        proxy.close();

        start("backend be\n server s 127.0.0.1:" + b.port() + " ssl verify required ca-file ca.pem sni str(shop.test)\n");
        assertThat(get("/").status()).isEqualTo(503);
        assertThat(b.lastSni()).isEqualTo("shop.test");
        assertThat(b.requests()).isEqualTo(1);
    }

    @Test
    void verifyhost_checksTheNameWithoutSendingSni() throws Exception {
        TestBackend b = tls("api", trusted);
        start("backend be\n server s 127.0.0.1:" + b.port() + " ssl ca-file ca.pem verifyhost wrong.test\n");
        assertThat(get("/").status()).isEqualTo(503);
        assertThat(b.lastSni()).isEmpty();
        assertThat(b.requests()).isZero();
    }

    @Test
    void sniFromHost_sendsTheRequestsHostWithoutPort_andConnectionsAreReusedPerName() throws Exception {
        TestBackend b = tls("api", trusted);
        start("backend be\n server s 127.0.0.1:" + b.port() + " ssl verify required ca-file ca.pem sni req.hdr(host)\n");
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("GET / HTTP/1.1\r\nHost: a.api.test:8443\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
            assertThat(b.lastSni()).isEqualTo("a.api.test");
            c.send("GET / HTTP/1.1\r\nHost: b.api.test\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
            assertThat(b.lastSni()).isEqualTo("b.api.test");
            c.send("GET / HTTP/1.1\r\nHost: a.api.test:8443\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
        }
        assertThat(b.connections()).isEqualTo(2); // one per host name, the first one reused
    }

    @Test
    void keepAlive_reusesOneTlsConnection() throws Exception {
        TestBackend b = tls("api", trusted);
        start("backend be\n server s 127.0.0.1:" + b.port() + " ssl verify none\n");
        try (RawHttpClient c = new RawHttpClient(port)) {
            for (int i = 0; i < 5; i++) {
                c.send("GET /n" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
                RawHttpClient.Response r = c.read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bodyText()).contains("uri=/n" + i);
            }
        }
        assertThat(b.requests()).isEqualTo(5);
        assertThat(b.connections()).isEqualTo(1);
    }

    @Test
    void clientCertificate_isPresentedToAnMtlsBackend() throws Exception {
        TestBackend b = TestBackend.startTls("mtls", trusted.serverContextRequiringClientsOf(ca));
        backends.add(b);
        start("backend be\n server s 127.0.0.1:" + b.port() + " ssl verify required ca-file ca.pem crt client.pem\n");
        assertThat(get("/").bodyText()).startsWith("server=mtls\n");
        proxy.close();

        start("backend be\n server s 127.0.0.1:" + b.port() + " ssl verify required ca-file ca.pem\n");
        // TLS 1.3: the server refuses a client without certificate after the client's side of
        // the handshake is done, so the request fails as on a reset connection
        assertThat(get("/").status()).isEqualTo(502);
        assertThat(b.requests()).isEqualTo(1);
    }

    @Test
    void tcpMode_reEncryptsTheBytes() throws Exception {
        TestBackend b = tls("tcp-tls", untrusted);
        ParseResult r = ConfigParser.parse("defaults\n mode tcp\n timeout connect 5s\n timeout client 10s\n timeout server 10s\n"
                + "frontend fe\n bind 127.0.0.1:1\n default_backend be\nbackend be\n server s 127.0.0.1:" + b.port()
                + " ssl verify none sni str(tcp.test)\n", "tcp.cfg", dir);
        assertThat(r.errors()).isEmpty();
        proxy = ProxyServer.start(RoutingCompiler.compile(
                r.config().withBinds("fe", List.of(new Bind("127.0.0.1", 0, false))), null), 2);
        port = proxy.ports("fe").get(0);
        RawHttpClient.Response resp = get("/through-tcp");
        assertThat(resp.status()).isEqualTo(200);
        assertThat(resp.bodyText()).startsWith("server=tcp-tls\n").contains("uri=/through-tcp");
        assertThat(b.lastSni()).isEqualTo("tcp.test");
    }

    @Test
    void webSocket_toATlsBackend_isTunnelledInsideTls() throws Exception {
        TestBackend b = tls("ws", untrusted);
        start("backend be\n server s 127.0.0.1:" + b.port() + " ssl verify none\n");
        StringBuilder all = new StringBuilder();
        CountDownLatch got = new CountDownLatch(2);
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        synchronized (all) {
                            all.append(data).append('|');
                        }
                        got.countDown();
                        webSocket.request(1);
                        return CompletableFuture.completedFuture(null);
                    }
                }).get(5, TimeUnit.SECONDS);
        ws.sendText("one", true).get(5, TimeUnit.SECONDS);
        ws.sendText("two", true).get(5, TimeUnit.SECONDS);
        assertThat(got.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(all.toString()).isEqualTo("echo:one|echo:two|");
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    }

    @Test
    void systemCa_doesNotTrustATestCertificate() throws Exception {
        TestBackend b = tls("api", trusted);
        start("backend be\n server s 127.0.0.1:" + b.port() + " ssl verify required ca-file @system-ca\n");
        assertThat(get("/").status()).isEqualTo(503);
        assertThat(b.requests()).isZero();
    }

    @Test
    void aCaFileThatCannotBeUsed_failsThatServerAlone_sayingWhy() throws Exception {
        TestBackend b = tls("api", trusted);
        java.nio.file.Files.writeString(dir.resolve("broken.pem"),
                "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
        TestBackend other = plain("other");
        start("backend be\n balance first\n option redispatch\n retries 1\n"
                + " server s 127.0.0.1:" + b.port() + " ssl verify required ca-file broken.pem\n"
                + " server o 127.0.0.1:" + other.port() + "\n");
        assertThat(get("/").bodyText()).startsWith("server=other\n");
        assertThat(proxy.table().backend("be").servers().get(0).state().lastError())
                .startsWith("cannot set up TLS to the server: ");
        assertThat(b.connections()).isZero();
    }

    @Test
    void aPlainBackend_behindSsl_failsTheHandshake_is503() throws Exception {
        TestBackend b = plain("plain");
        start("backend be\n server s 127.0.0.1:" + b.port() + " ssl verify none\n");
        assertThat(get("/").status()).isEqualTo(503);
    }
}
