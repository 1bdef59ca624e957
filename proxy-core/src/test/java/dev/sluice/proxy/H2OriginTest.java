package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.Bind;
import dev.sluice.routing.RoutingCompiler;
import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.ParseResult;
import dev.sluice.routing.config.ProxyConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** {@code server ... proto h2}: requests reach an h2c origin as streams of few shared connections. */
class H2OriginTest {

    private H2TestBackend backend;
    private ProxyServer proxy;
    private SelfSignedCertificate cert;
    private int tlsPort;
    private int plainPort;
    private int refusedPort;

    @BeforeEach
    void setUp() throws Exception {
        backend = H2TestBackend.start("grpc1");
        try (ServerSocket s = new ServerSocket(0)) {
            refusedPort = s.getLocalPort();
        }
        cert = new SelfSignedCertificate("h2.test");
        SslContext tls = TlsFrontend.alpnServerContext(cert);
        String text = "defaults\n mode http\n timeout connect 2s\n timeout client 10s\n timeout server 10s\n"
                + "frontend fe\n use_backend refused if { path_beg /refused }\n"
                + " use_backend impatient if { path_beg /hang /quick }\n default_backend app\n"
                + "backend app\n server a 127.0.0.1:" + backend.port() + " proto h2 observe layer7 error-limit 100\n"
                + "backend impatient\n timeout server 300ms\n server i 127.0.0.1:" + backend.port() + " proto h2\n"
                + "backend refused\n retries 1\n server r 127.0.0.1:" + refusedPort + " proto h2 observe layer4 error-limit 100\n";
        ParseResult parsed = ConfigParser.parse(text, "h2.cfg", Path.of("."));
        assertThat(parsed.errors()).isEmpty();
        ProxyConfig config = parsed.config().withBinds("fe",
                List.of(new Bind("127.0.0.1", 0, true), new Bind("127.0.0.1", 0, false)));
        proxy = ProxyServer.start(RoutingCompiler.compile(config, null), 1, sni -> tls);
        tlsPort = proxy.ports("fe").get(0);
        plainPort = proxy.ports("fe").get(1);
    }

    @AfterEach
    void tearDown() {
        proxy.close();
        backend.close();
        cert.delete();
    }

    @Test
    void hundredConcurrentH2Requests_areAnswered_overFewBackendConnections() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(TrustAll.context()).version(HttpClient.Version.HTTP_2).build();
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            all.add(client.sendAsync(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + tlsPort + "/many/" + i))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < 100; i++) {
            HttpResponse<String> r = all.get(i).get(30, TimeUnit.SECONDS);
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("x-backend")).hasValue("grpc1");
            assertThat(r.body()).startsWith("server=grpc1 uri=/many/" + i + " host=127.0.0.1:" + tlsPort);
        }
        assertThat(backend.streams()).isEqualTo(100);
        assertThat(backend.connections()).isBetween(1, 2);
    }

    @Test
    void serverAllowingFewStreams_getsNoMoreThanThatPerConnection_andEveryRequestIsAnswered() throws Exception {
        try (H2TestBackend narrow = H2TestBackend.start("narrow", 5)) {
            String text = "defaults\n mode http\n timeout connect 2s\n timeout client 10s\n timeout server 10s\n"
                    + "frontend fe2\n default_backend narrow\n"
                    + "backend narrow\n server n 127.0.0.1:" + narrow.port() + " proto h2\n";
            ProxyConfig config = ConfigParser.parse(text, "narrow.cfg", Path.of(".")).config()
                    .withBinds("fe2", List.of(new Bind("127.0.0.1", 0, false)));
            ProxyServer second = ProxyServer.start(RoutingCompiler.compile(config, null), 1);
            java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(20);
            try {
                int p = second.ports("fe2").get(0);
                try (RawHttpClient c = new RawHttpClient(p)) {
                    assertThat(c.get("/hold/first").status()).isEqualTo(200); // the server's SETTINGS are known now
                }
                List<CompletableFuture<RawHttpClient.Response>> all = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    String path = "/hold/" + i;
                    all.add(CompletableFuture.supplyAsync(() -> {
                        try (RawHttpClient c = new RawHttpClient(p)) {
                            return c.get(path);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }, clients));
                }
                for (int i = 0; i < 20; i++) {
                    RawHttpClient.Response r = all.get(i).get(20, TimeUnit.SECONDS);
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.bodyText()).isEqualTo("/hold/" + i);
                }
            } finally {
                clients.shutdownNow();
                second.close();
            }
        }
    }

    @Test
    void http11ChunkedRequest_reachesTheH2Backend_withItsTrailer_andTheResponseTrailersComeBackChunked() throws Exception {
        try (RawHttpClient c = new RawHttpClient(plainPort)) {
            c.send("POST /upload HTTP/1.1\r\nHost: shop.test\r\nTE: gzip;q=0.5, Trailers\r\nConnection: keep-alive, x-hop, te\r\n"
                    + "X-Hop: secret\r\nKeep-Alive: timeout=5\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: abc123\r\n\r\n");
            RawHttpClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(r.header("x-backend")).isEqualTo("grpc1");
            assertThat(r.bodyText()).isEqualTo(
                    "server=grpc1 uri=/upload host=shop.test te=trailers connection=null upgrade=null\nhello world");
            assertThat(r.trailer("x-trailer")).isEqualTo("done");
            assertThat(r.trailer("x-echo-trailer")).isEqualTo("abc123");
            assertThat(backend.lastHeader("x-hop")).isNull();
            assertThat(backend.lastHeader("keep-alive")).isNull();
            // (connection-specific headers would also have made Netty's HTTP/2 server refuse the stream)

            // the client connection stays open: a second request (without TE) on it
            RawHttpClient.Response again = c.get("/again");
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.bodyText()).startsWith("server=grpc1 uri=/again host=test te=null");
            assertThat(again.trailer("x-trailer")).isEqualTo("done");
        }
    }

    @Test
    void h2ClientGetsTheResponseTrailers() throws Exception {
        // java.net.http does not expose trailers; the body and status prove the stream ended cleanly,
        // the gRPC test checks trailers over h2 end to end
        HttpClient client = HttpClient.newBuilder().sslContext(TrustAll.context()).version(HttpClient.Version.HTTP_2).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + tlsPort + "/post"))
                .POST(HttpRequest.BodyPublishers.ofString("ping")).header("te", "trailers")
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("server=grpc1 uri=/post host=127.0.0.1:" + tlsPort + " te=trailers")
                .endsWith("ping");
    }

    @Test
    void backendConnectionDyingBeforeTheAnswer_is502_andTheNextRequestIsFine() throws Exception {
        for (String path : List.of("/die", "/goaway")) {
            try (RawHttpClient c = new RawHttpClient(plainPort)) {
                RawHttpClient.Response r = c.get(path);
                assertThat(r.status()).as(path).isEqualTo(502);
            }
            try (RawHttpClient c = new RawHttpClient(plainPort)) {
                RawHttpClient.Response r = c.get("/after" + path);
                assertThat(r.status()).as(path).isEqualTo(200);
                assertThat(r.bodyText()).startsWith("server=grpc1 uri=/after" + path);
            }
        }
    }

    @Test
    void refusedConnection_isRetried_then503_andCountedAsAnError() throws Exception {
        try (RawHttpClient c = new RawHttpClient(plainPort)) {
            RawHttpClient.Response r = c.get("/refused");
            assertThat(r.status()).isEqualTo(503);
        }
        dev.sluice.routing.ServerState refused = proxy.table().backend("refused").servers().get(0).state();
        assertThat(refused.observedErrors()).isEqualTo(2); // the first attempt and its retry
        assertThat(refused.lastError()).contains("connection refused");
    }

    @Test
    void silentStream_is504AfterTimeoutServer_andTheSharedConnectionServesTheNext() throws Exception {
        try (RawHttpClient c = new RawHttpClient(plainPort)) {
            assertThat(c.get("/hang").status()).isEqualTo(504);
        }
        try (RawHttpClient c = new RawHttpClient(plainPort)) {
            assertThat(c.get("/quick").status()).isEqualTo(200);
        }
        // the timed-out stream was reset, not its connection: both requests went over one connection
        assertThat(backend.connections()).isEqualTo(1);
    }

    @Test
    void passiveObservation_countsAStreamLostBeforeTheAnswer_andAnAnswerResetsIt() throws Exception {
        dev.sluice.routing.ServerState a = proxy.table().backend("app").servers().get(0).state();
        try (RawHttpClient c = new RawHttpClient(plainPort)) {
            assertThat(c.get("/die").status()).isEqualTo(502);
        }
        assertThat(a.observedErrors()).isEqualTo(1);
        try (RawHttpClient c = new RawHttpClient(plainPort)) {
            assertThat(c.get("/ok").status()).isEqualTo(200);
        }
        assertThat(a.observedErrors()).isZero();
    }

    @Test
    void largeStreamedBody_passesBothWaysUnchanged() throws Exception {
        byte[] payload = new byte[3 * 1024 * 1024];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) ('a' + i % 26);
        }
        HttpClient client = HttpClient.newBuilder().sslContext(TrustAll.context()).version(HttpClient.Version.HTTP_2).build();
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + tlsPort + "/big"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        String body = new String(r.body(), StandardCharsets.ISO_8859_1);
        int start = body.indexOf('\n') + 1;
        assertThat(r.body().length - start).isEqualTo(payload.length);
        assertThat(body.substring(start)).isEqualTo(new String(payload, StandardCharsets.ISO_8859_1));
    }
}
