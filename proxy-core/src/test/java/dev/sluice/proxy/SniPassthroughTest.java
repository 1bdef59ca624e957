package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.routing.Bind;
import dev.sluice.routing.RoutingCompiler;
import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.ParseResult;
import dev.sluice.routing.config.ProxyConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * {@code mode tcp} frontends that read the client's TLS ClientHello without deciphering it and
 * route by its SNI ({@code tcp-request inspect-delay}, {@code tcp-request content}), and a
 * {@code mode tcp} frontend with a TLS bind that deciphers and tunnels the plain text.
 */
class SniPassthroughTest {

    private NamedServer a;
    private NamedServer b;
    private NamedServer d;
    private NamedServer e;
    private SelfSignedCertificate proxyCert;
    private ProxyServer proxy;

    @BeforeEach
    void setUp() throws Exception {
        a = NamedServer.tls("a.example");
        b = NamedServer.tls("b.example");
        d = NamedServer.plain("D");
        e = NamedServer.plain("E");
        proxyCert = new SelfSignedCertificate("shop.test");
        SslContext shop = SslContextBuilder.forServer(proxyCert.certificate(), proxyCert.privateKey()).build();
        String text = """
                defaults
                    mode tcp
                    timeout connect 2s
                    timeout client 10s
                    timeout server 10s
                frontend sni
                    tcp-request inspect-delay 1s
                    tcp-request content accept if { req_ssl_hello_type 1 }
                    acl to_a req_ssl_sni -i a.example
                    use_backend a if to_a
                    use_backend b if { req.ssl_sni -i b.example } || { req.ssl_sni -m end .b.example }
                    default_backend d
                frontend strict
                    tcp-request inspect-delay 1s
                    tcp-request content accept if { req_ssl_hello_type 1 }
                    tcp-request content reject
                    use_backend a if { req_ssl_sni -i a.example }
                frontend terminated
                    use_backend e if { ssl_fc_sni -i shop.test } { ssl_fc }
                    default_backend d
                backend a
                    server a 127.0.0.1:%d
                backend b
                    server b 127.0.0.1:%d
                backend d
                    server d 127.0.0.1:%d
                backend e
                    server e 127.0.0.1:%d
                """.formatted(a.port(), b.port(), d.port(), e.port());
        ParseResult parsed = ConfigParser.parse(text, "sni.cfg", Path.of("."));
        assertThat(parsed.errors()).isEmpty();
        ProxyConfig config = parsed.config()
                .withBinds("sni", List.of(new Bind("127.0.0.1", 0, false)))
                .withBinds("strict", List.of(new Bind("127.0.0.1", 0, false)))
                .withBinds("terminated", List.of(new Bind("127.0.0.1", 0, true)));
        proxy = ProxyServer.start(RoutingCompiler.compile(config, null), 2, sni -> shop);
    }

    @AfterEach
    void tearDown() {
        proxy.close();
        for (NamedServer s : List.of(a, b, d, e)) {
            s.close();
        }
        proxyCert.delete();
    }

    private int port(String frontend) {
        return proxy.ports(frontend).get(0);
    }

    /** The certificate's subject and the answer to {@code hello} over TLS with {@code sni}. */
    private static String[] tls(int port, String sni) throws Exception {
        try (SSLSocket socket = (SSLSocket) TrustAll.context().getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            SSLParameters params = socket.getSSLParameters();
            params.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
            socket.setSSLParameters(params);
            socket.startHandshake();
            String subject = ((X509Certificate) socket.getSession().getPeerCertificates()[0])
                    .getSubjectX500Principal().getName();
            socket.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            byte[] answer = new byte[64];
            int n = socket.getInputStream().read(answer);
            return new String[] {subject, new String(answer, 0, n, StandardCharsets.US_ASCII)};
        }
    }

    /** The first TLS record a client with {@code sni} (none when null) sends. */
    static byte[] clientHello(String sni) throws Exception {
        SSLEngine engine = TrustAll.context().createSSLEngine();
        engine.setUseClientMode(true);
        SSLParameters params = engine.getSSLParameters();
        params.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        engine.setSSLParameters(params);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }

    /** Writes each of {@code parts} (pausing between them) and reads until {@code expected} bytes or the end. */
    private static byte[] exchange(int port, int expected, byte[]... parts) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    Thread.sleep(100); // separate TCP segments
                }
                out.write(parts[i]);
                out.flush();
            }
            return read(socket.getInputStream(), expected);
        }
    }

    private static byte[] read(InputStream in, int expected) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            while (got.size() < expected) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                got.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // what came so far
        }
        return got.toByteArray();
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void sni_reachesTheServerOfThatName_whichTerminatesTlsItself() throws Exception {
        assertThat(tls(port("sni"), "a.example")).containsExactly("CN=a.example", "a.example:hello");
        assertThat(tls(port("sni"), "B.EXAMPLE")).containsExactly("CN=b.example", "b.example:hello");
        assertThat(tls(port("sni"), "api.b.example")).containsExactly("CN=b.example", "b.example:hello");
    }

    @Test
    void noSniOrAnUnknownName_goesToTheDefaultBackend_withTheClientHelloUnchanged() throws Exception {
        for (String sni : new String[] {null, "c.example"}) {
            byte[] hello = clientHello(sni);
            byte[] answer = exchange(port("sni"), hello.length + 2, hello);
            assertThat(answer).isEqualTo(concat(ascii("D:"), hello));
        }
        assertThat(a.connections()).isZero();
    }

    @Test
    void aClientHelloSplitOverSeveralWrites_isStillRoutedBySni() throws Exception {
        byte[] hello = clientHello("a.example");
        byte[] answer = exchange(port("sni"), 5, Arrays.copyOfRange(hello, 0, 3),
                Arrays.copyOfRange(hello, 3, 40), Arrays.copyOfRange(hello, 40, hello.length));
        assertThat(answer).isNotEmpty();
        assertThat(answer[0]).as("a TLS record from server a, not D's echo").isIn((byte) 22, (byte) 21);
        assertThat(a.connections()).isEqualTo(1);
        assertThat(d.connections()).isZero();
    }

    @Test
    void plainText_isRoutedToTheDefaultBackend_atOnceWhenItIsNotTls() throws Exception {
        assertThat(exchange(port("sni"), 8, ascii("hello\n"))).isEqualTo(ascii("D:hello\n"));
    }

    @Test
    void aSilentClient_isRoutedToTheDefaultBackendWhenTheInspectDelayEnds() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port("sni"))) {
            socket.setSoTimeout(5000);
            await().atMost(Duration.ofSeconds(5)).until(() -> d.connections() == 1);
            socket.getOutputStream().write(ascii("late"));
            assertThat(read(socket.getInputStream(), 6)).isEqualTo(ascii("D:late"));
        }
    }

    @Test
    void rejectRule_closesPlainTextAndSilentClients_butRoutesTls_andAnUnknownNameWithoutDefaultIsClosed() throws Exception {
        assertThat(exchange(port("strict"), 1, ascii("hello\n"))).isEmpty();
        try (Socket socket = new Socket("127.0.0.1", port("strict"))) {
            socket.setSoTimeout(5000);
            assertThat(socket.getInputStream().read()).as("closed when the delay ends").isEqualTo(-1);
        }
        assertThat(tls(port("strict"), "a.example")).containsExactly("CN=a.example", "a.example:hello");
        assertThat(exchange(port("strict"), 1, clientHello("c.example"))).as("no default_backend: closed").isEmpty();
        assertThat(d.connections()).isZero();
    }

    @Test
    void aClientHelloLargerThanTheBuffer_hasNoSni() throws Exception {
        byte[] big = LargeClientHello.of("a.example", 16_300);
        byte[] answer = exchange(port("sni"), big.length + 2, big);
        assertThat(answer).isEqualTo(concat(ascii("D:"), big));
        byte[] fits = LargeClientHello.of("a.example", 1000);
        assertThat(exchange(port("sni"), 1, fits)[0]).as("a.example answers with TLS").isIn((byte) 22, (byte) 21);
    }

    @Test
    void tlsBindOfATcpFrontend_terminatesAndTunnelsPlainText_routedBySslFcSni() throws Exception {
        assertThat(tls(port("terminated"), "shop.test")).containsExactly("CN=shop.test", "E:hello");
        assertThat(tls(port("terminated"), null)).containsExactly("CN=shop.test", "D:hello");
    }
}
