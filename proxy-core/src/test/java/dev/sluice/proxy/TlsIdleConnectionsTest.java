package dev.sluice.proxy;

import static dev.sluice.proxy.RawH2Client.GOAWAY;
import static dev.sluice.proxy.RawH2Client.body;
import static dev.sluice.proxy.RawH2Client.only;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.proxy.RawH2Client.Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;

/**
 * Idle connections to a TLS bind are closed as HAProxy closes them. Before the handshake is done,
 * after {@code timeout client}, silently: no plaintext HTTP answer. An HTTP/2 connection: after
 * {@code timeout http-request} before its first stream, after {@code timeout http-keep-alive}
 * once its last stream has ended, each time with a GOAWAY (NO_ERROR) naming the last stream
 * taken; never while a stream is open ({@link RawH2Client} shows the frames).
 */
class TlsIdleConnectionsTest {

    private TlsFrontend frontend;
    private int port;

    @BeforeEach
    void setUp() throws Exception {
        frontend = TlsFrontend.start(" timeout client 4s\n timeout server 30s\n"
                // distinct waits, so that which one closed the connection shows; the bounds below
                // leave a loaded machine room: they tell the waits apart, not their precision
                + " timeout http-request 400ms\n timeout http-keep-alive 2s\n", false);
        port = frontend.tlsPort;
    }

    @AfterEach
    void tearDown() {
        frontend.close();
    }

    @Test
    void withoutAStream_theConnectionIsClosedAfterTimeoutHttpRequest_withAGoaway() throws Exception {
        try (RawH2Client h2 = new RawH2Client(port)) {
            long t0 = System.nanoTime();
            List<Frame> frames = h2.readUntilClosed();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            Frame goaway = only(frames, GOAWAY);
            assertThat(goaway.lastStreamId()).isZero();
            assertThat(goaway.errorCode()).isZero();
            // http-request (400 ms), not http-keep-alive (2 s) nor client (4 s)
            assertThat(ms).isGreaterThanOrEqualTo(250).isLessThan(1900);
        }
    }

    @Test
    void afterTheLastStream_theConnectionIsClosedAfterTimeoutHttpKeepAlive_withAGoaway() throws Exception {
        try (RawH2Client h2 = new RawH2Client(port)) {
            h2.request(1, "GET", "/first", Map.of(), true);
            List<Frame> frames = h2.readStream(1);
            assertThat(body(frames, 1)).contains("server=app", "uri=/first");
            long t0 = System.nanoTime();
            frames = h2.readUntilClosed();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            Frame goaway = only(frames, GOAWAY);
            assertThat(goaway.lastStreamId()).isEqualTo(1);
            assertThat(goaway.errorCode()).isZero();
            assertThat(ms).isGreaterThanOrEqualTo(1500).isLessThan(3900);
        }
    }

    @Test
    void aStreamTheClientKeepsOpenAfterItsAnswer_isResetAfterTimeoutHttpKeepAlive_thenTheConnectionCloses()
            throws Exception {
        try (RawH2Client h2 = new RawH2Client(port)) {
            // complete by its length, but the client never ends its side (no END_STREAM)
            h2.request(1, "GET", "/open", Map.of("content-length", "0"), false);
            List<Frame> frames = h2.readStream(1);
            assertThat(frames.get(frames.size() - 1).endStream()).as("answered: %s", frames).isTrue();
            assertThat(body(frames, 1)).contains("uri=/open");
            long t0 = System.nanoTime();
            frames = h2.readUntilClosed();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            Frame reset = only(frames, RawH2Client.RST_STREAM);
            assertThat(reset.streamId()).isEqualTo(1);
            assertThat(only(frames, GOAWAY).lastStreamId()).isEqualTo(1);
            // the stream after http-keep-alive (2 s), then the connection after another (before: never)
            assertThat(ms).isGreaterThanOrEqualTo(3000).isLessThan(7800);
        }
    }

    @Test
    void anOpenStreamLongerThanBothWaits_isAnswered_andTheConnectionClosesOnlyAfterIt() throws Exception {
        try (RawH2Client h2 = new RawH2Client(port)) {
            h2.request(1, "GET", "/slow?ms=2500", Map.of(), true);
            List<Frame> frames = h2.readUntilClosed();
            assertThat(body(frames, 1)).contains("slow=2500");
            int answered = frames.indexOf(frames.stream()
                    .filter(f -> f.streamId() == 1 && f.endStream()).findFirst().orElseThrow());
            int goaway = frames.indexOf(only(frames, GOAWAY));
            assertThat(answered).isNotNegative().isLessThan(goaway);
            assertThat(frames.get(goaway).lastStreamId()).isEqualTo(1);
        }
    }

    @Test
    void beforeTheHandshake_theConnectionIsClosedAfterTimeoutClient_withoutAnAnswer() throws Exception {
        // nothing at all, then the first bytes of a ClientHello
        for (byte[] sent : List.of(new byte[0], new byte[] {0x16, 0x03, 0x01, 0x00})) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(sent);
                long t0 = System.nanoTime();
                byte[] received = socket.getInputStream().readAllBytes();
                long ms = (System.nanoTime() - t0) / 1_000_000;
                // not a plaintext "HTTP/1.1 408" on a TLS port after http-request (400 ms)
                assertThat(new String(received, StandardCharsets.ISO_8859_1)).isEmpty();
                assertThat(ms).isGreaterThanOrEqualTo(3500);
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
            assertThat(ms).isGreaterThanOrEqualTo(250).isLessThan(1900);
        }
    }
}
