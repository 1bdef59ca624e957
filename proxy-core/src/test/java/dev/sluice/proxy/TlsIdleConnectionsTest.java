package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

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

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Idle connections to a TLS bind are closed as HAProxy closes them. Before the handshake is done,
 * after {@code timeout client}, silently: no plaintext HTTP answer. An HTTP/2 connection: after
 * {@code timeout http-request} before its first stream, after {@code timeout http-keep-alive}
 * once its last stream has ended, each time with a GOAWAY (NO_ERROR) naming the last stream
 * taken; never while a stream is open. The HTTP/2 client here writes raw frames over TLS with
 * ALPN h2.
 */
class TlsIdleConnectionsTest {

    private static final int DATA = 0;
    private static final int HEADERS = 1;
    private static final int GOAWAY = 7;

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
        // distinct waits, so that which one closed the connection shows
        String text = "defaults\n mode http\n timeout connect 2s\n timeout client 2500ms\n timeout server 30s\n"
                + " timeout http-request 400ms\n timeout http-keep-alive 1500ms\n"
                + "frontend fe\n default_backend app\n"
                + "backend app\n server a 127.0.0.1:" + backend.port() + "\n";
        ProxyConfig config = ConfigParser.parse(text, "h2-idle.cfg", Path.of(".")).config()
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
    void withoutAStream_theConnectionIsClosedAfterTimeoutHttpRequest_withAGoaway() throws Exception {
        try (SSLSocket socket = h2Connection()) {
            long t0 = System.nanoTime();
            List<Frame> frames = readUntilClosed(socket);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            Frame goaway = only(frames, GOAWAY);
            assertThat(goaway.lastStreamId()).isZero();
            assertThat(goaway.errorCode()).isZero();
            // http-request (400 ms), not http-keep-alive (1500 ms) nor client (2500 ms)
            assertThat(ms).isGreaterThanOrEqualTo(350).isLessThan(1400);
        }
    }

    @Test
    void afterTheLastStream_theConnectionIsClosedAfterTimeoutHttpKeepAlive_withAGoaway() throws Exception {
        try (SSLSocket socket = h2Connection()) {
            request(socket, 1, "/first");
            List<Frame> frames = new ArrayList<>();
            Frame f;
            do {
                f = Frame.read(socket);
                frames.add(f);
            } while (!(f.type == DATA && f.streamId == 1 && f.endStream()));
            assertThat(body(frames, 1)).contains("server=app", "uri=/first");
            long t0 = System.nanoTime();
            frames = readUntilClosed(socket);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            Frame goaway = only(frames, GOAWAY);
            assertThat(goaway.lastStreamId()).isEqualTo(1);
            assertThat(goaway.errorCode()).isZero();
            assertThat(ms).isGreaterThanOrEqualTo(1400).isLessThan(2400);
        }
    }

    @Test
    void anOpenStreamLongerThanBothWaits_isAnswered_andTheConnectionClosesOnlyAfterIt() throws Exception {
        try (SSLSocket socket = h2Connection()) {
            request(socket, 1, "/slow?ms=2000");
            List<Frame> frames = readUntilClosed(socket);
            assertThat(body(frames, 1)).contains("slow=2000");
            int answered = indexOfEnd(frames, 1);
            int goaway = frames.indexOf(only(frames, GOAWAY));
            assertThat(answered).isNotNegative().isLessThan(goaway);
            assertThat(frames.get(goaway).lastStreamId()).isEqualTo(1);
        }
    }

    @Test
    void beforeTheHandshake_theConnectionIsClosedAfterTimeoutClient_withoutAnAnswer() throws Exception {
        for (byte[] sent : List.of(new byte[0], new byte[] {0x16, 0x03, 0x01, 0x00})) { // nothing; a ClientHello's start
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(sent);
                long t0 = System.nanoTime();
                byte[] received = socket.getInputStream().readAllBytes();
                long ms = (System.nanoTime() - t0) / 1_000_000;
                // not a plaintext "HTTP/1.1 408" on a TLS port after http-request (400 ms)
                assertThat(new String(received, StandardCharsets.ISO_8859_1)).isEmpty();
                assertThat(ms).isGreaterThanOrEqualTo(2400);
            }
        }
    }

    @Test
    void afterTheHandshake_anHttp11ConnectionWithoutARequest_gets408AfterTimeoutHttpRequest() throws Exception {
        try (SSLSocket socket = (SSLSocket) TrustAll.context().getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            long t0 = System.nanoTime();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(answer).startsWith("HTTP/1.1 408");
            assertThat(ms).isGreaterThanOrEqualTo(350).isLessThan(2400);
        }
    }

    private SSLSocket h2Connection() throws Exception {
        SSLSocket socket = (SSLSocket) TrustAll.context().getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        SSLParameters params = socket.getSSLParameters();
        params.setApplicationProtocols(new String[] {"h2"});
        socket.setSSLParameters(params);
        socket.startHandshake();
        assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
        OutputStream out = socket.getOutputStream();
        out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0}); // an empty SETTINGS frame
        out.flush();
        return socket;
    }

    /** A GET of {@code path}: HPACK without Huffman (static-table method and scheme, literal path and authority). */
    private static void request(SSLSocket socket, int streamId, String path) throws IOException {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.write(0x82); // :method GET
        block.write(0x87); // :scheme https
        literal(block, 0x44, path); // :path, name from the static table
        literal(block, 0x41, "h2.test"); // :authority
        byte[] b = block.toByteArray();
        OutputStream out = socket.getOutputStream();
        out.write(new byte[] {0, 0, (byte) b.length, HEADERS, 0x05, 0, 0, 0, (byte) streamId}); // END_STREAM | END_HEADERS
        out.write(b);
        out.flush();
    }

    private static void literal(ByteArrayOutputStream block, int nameIndex, String value) {
        byte[] v = value.getBytes(StandardCharsets.US_ASCII);
        block.write(nameIndex);
        block.write(v.length);
        block.writeBytes(v);
    }

    private static List<Frame> readUntilClosed(SSLSocket socket) throws IOException {
        List<Frame> frames = new ArrayList<>();
        while (true) {
            try {
                frames.add(Frame.read(socket));
            } catch (EOFException | javax.net.ssl.SSLException closed) {
                return frames;
            }
        }
    }

    private static Frame only(List<Frame> frames, int type) {
        List<Frame> of = frames.stream().filter(f -> f.type == type).toList();
        assertThat(of).as("frames of type %d in %s", type, frames).hasSize(1);
        return of.get(0);
    }

    private static String body(List<Frame> frames, int streamId) {
        StringBuilder s = new StringBuilder();
        for (Frame f : frames) {
            if (f.type == DATA && f.streamId == streamId) {
                s.append(new String(f.payload, StandardCharsets.UTF_8));
            }
        }
        return s.toString();
    }

    private static int indexOfEnd(List<Frame> frames, int streamId) {
        for (int i = 0; i < frames.size(); i++) {
            Frame f = frames.get(i);
            if (f.streamId == streamId && f.endStream() && (f.type == DATA || f.type == HEADERS)) {
                return i;
            }
        }
        return -1;
    }

    private record Frame(int type, int flags, int streamId, byte[] payload) {

        static Frame read(SSLSocket socket) throws IOException {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int length = in.readUnsignedByte() << 16 | in.readUnsignedShort();
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            int streamId = in.readInt() & 0x7fffffff;
            byte[] payload = new byte[length];
            in.readFully(payload);
            return new Frame(type, flags, streamId, payload);
        }

        boolean endStream() {
            return (flags & 0x1) != 0;
        }

        int lastStreamId() {
            return ((payload[0] & 0x7f) << 24) | ((payload[1] & 0xff) << 16) | ((payload[2] & 0xff) << 8) | (payload[3] & 0xff);
        }

        int errorCode() {
            return ((payload[4] & 0xff) << 24) | ((payload[5] & 0xff) << 16) | ((payload[6] & 0xff) << 8) | (payload[7] & 0xff);
        }

        @Override
        public String toString() {
            return "Frame[type=" + type + ", flags=" + flags + ", stream=" + streamId + ", length=" + payload.length + "]";
        }
    }
}
