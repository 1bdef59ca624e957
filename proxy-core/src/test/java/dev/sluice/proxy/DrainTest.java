package dev.sluice.proxy;

import static dev.sluice.proxy.RawH2Client.GOAWAY;
import static dev.sluice.proxy.RawH2Client.body;
import static dev.sluice.proxy.RawH2Client.only;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.proxy.RawH2Client.Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A graceful stop ({@link ProxyServer#drain}, what SIGTERM starts): the binds close at once, an
 * idle keep-alive connection is closed at once, and requests in flight finish: over HTTP/1.1 with
 * {@code Connection: close}, over HTTP/2 after a GOAWAY (NO_ERROR); the drain returns when they
 * have, well before its grace period.
 */
class DrainTest {

    private TlsFrontend frontend;
    private int plainPort;
    private int tlsPort;

    @BeforeEach
    void setUp() throws Exception {
        frontend = TlsFrontend.start(" timeout client 30s\n timeout server 30s\n", true);
        plainPort = frontend.plainPort;
        tlsPort = frontend.tlsPort;
    }

    @AfterEach
    void tearDown() {
        frontend.close();
    }

    @Test
    void http11_theRequestInFlightFinishesWithConnectionClose_anIdleConnectionClosesAtOnce() throws Exception {
        try (RawHttpClient idle = new RawHttpClient(plainPort, 10_000);
             RawHttpClient busy = new RawHttpClient(plainPort, 10_000)) {
            assertThat(idle.get("/before").status()).isEqualTo(200);
            busy.send("GET /slow?ms=1500 HTTP/1.1\r\nHost: x\r\n\r\n");
            Thread.sleep(300); // the slow request has reached the server
            long t0 = System.nanoTime();
            CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> frontend.proxy.drain(20_000));

            assertThat(idle.isClosedByServer()).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(1000);
            assertThatThrownBy(() -> new Socket("127.0.0.1", plainPort).close()).isInstanceOf(ConnectException.class);

            RawHttpClient.Response answer = busy.read();
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.bodyText()).contains("slow=1500");
            assertThat(answer.header("connection")).isEqualToIgnoringCase("close");
            assertThat(busy.isClosedByServer()).isTrue();
            drained.get(10, TimeUnit.SECONDS);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(10_000);
        }
    }

    @Test
    void http11_aRequestHeadHalfReceived_isStillAnswered_withConnectionClose() throws Exception {
        try (RawHttpClient idle = new RawHttpClient(plainPort, 10_000);
             RawHttpClient half = new RawHttpClient(plainPort, 10_000)) {
            assertThat(idle.get("/before").status()).isEqualTo(200);
            assertThat(half.get("/first").status()).isEqualTo(200);
            half.send("GET /second HTTP/1.1\r\nHost: x\r\n");
            Thread.sleep(300); // the first part has been read
            CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> frontend.proxy.drain(20_000));
            assertThat(idle.isClosedByServer()).isTrue();
            Thread.sleep(500); // the drain has reached every connection (one event loop, in turn)

            half.send("Accept: */*\r\n\r\n");
            RawHttpClient.Response answer = half.read();
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.bodyText()).contains("uri=/second");
            assertThat(answer.header("connection")).isEqualToIgnoringCase("close");
            assertThat(half.isClosedByServer()).isTrue();
            drained.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void http11_lineEndsAfterAnAnswer_beginNoRequest_theConnectionClosesAtOnce() throws Exception {
        try (RawHttpClient crlf = new RawHttpClient(plainPort, 10_000)) {
            assertThat(crlf.get("/first").status()).isEqualTo(200);
            crlf.send("\r\n"); // allowed between requests (RFC 9112 section 2.2), and skipped
            Thread.sleep(300);
            long t0 = System.nanoTime();
            CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> frontend.proxy.drain(20_000));
            assertThat(crlf.isClosedByServer()).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("not after timeout http-request")
                    .isLessThan(5_000);
            drained.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void http2_aGoawayComesAtOnce_andTheOpenStreamIsStillAnswered() throws Exception {
        try (RawH2Client h2 = new RawH2Client(tlsPort)) {
            h2.request(1, "GET", "/slow?ms=1500", Map.of(), true);
            Thread.sleep(300);
            CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> frontend.proxy.drain(20_000));
            List<Frame> frames = h2.readUntilClosed();
            Frame goaway = only(frames, GOAWAY);
            assertThat(goaway.errorCode()).isZero();
            assertThat(goaway.lastStreamId()).isEqualTo(1);
            assertThat(body(frames, 1)).as("%s", frames).contains("slow=1500");
            Frame end = frames.stream().filter(f -> f.streamId() == 1 && f.endStream()).findFirst().orElseThrow();
            assertThat(frames.indexOf(goaway)).as("the GOAWAY before the answer's end").isLessThan(frames.indexOf(end));
            drained.get(10, TimeUnit.SECONDS);
        }
    }
}
