package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.Mode;
import dev.sluice.routing.Timeouts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Upgraded connections (WebSocket) and mode tcp become byte tunnels. */
class TunnelTest {

    private TestBackend backend;
    private ProxyServer proxy;
    private ServerSocket echo;

    @AfterEach
    void tearDown() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (backend != null) {
            backend.close();
        }
        if (echo != null) {
            echo.close();
        }
    }

    @Test
    void webSocket_echoesThroughTheProxy() throws Exception {
        backend = TestBackend.start("ws");
        proxy = ProxyServer.start(Tables.builder().server(backend.port()).build(), 2);
        int port = proxy.ports(Tables.FRONTEND).get(0);

        AtomicReference<String> received = new AtomicReference<>();
        CountDownLatch got = new CountDownLatch(3);
        StringBuilder all = new StringBuilder();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        synchronized (all) {
                            all.append(data).append('|');
                        }
                        received.set(data.toString());
                        got.countDown();
                        webSocket.request(1);
                        return CompletableFuture.completedFuture(null);
                    }
                }).get(5, TimeUnit.SECONDS);
        ws.sendText("one", true).get(5, TimeUnit.SECONDS);
        ws.sendText("two", true).get(5, TimeUnit.SECONDS);
        ws.sendText("three", true).get(5, TimeUnit.SECONDS);
        assertThat(got.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(all.toString()).isEqualTo("echo:one|echo:two|echo:three|");
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    }

    @Test
    void tcpMode_forwardsBytesBothWays() throws Exception {
        echo = new ServerSocket(0);
        Thread t = new Thread(this::echoOnce, "tcp-echo");
        t.setDaemon(true);
        t.start();
        proxy = ProxyServer.start(Tables.builder().mode(Mode.TCP).server(echo.getLocalPort()).build(), 2);
        int port = proxy.ports(Tables.FRONTEND).get(0);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            byte[] payload = new byte[1_000_000];
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) i;
            }
            Thread writer = new Thread(() -> {
                try {
                    out.write(payload);
                    out.flush();
                } catch (Exception ignored) {
                    // the assertion below reports it
                }
            });
            writer.start();
            byte[] back = in.readNBytes(payload.length);
            writer.join(5000);
            assertThat(back).isEqualTo(payload);
        }
    }

    @Test
    void tcpMode_idleTunnel_isClosedAfterTimeoutTunnel() throws Exception {
        echo = new ServerSocket(0);
        Thread t = new Thread(this::echoOnce, "tcp-echo");
        t.setDaemon(true);
        t.start();
        proxy = ProxyServer.start(Tables.builder().mode(Mode.TCP).server(echo.getLocalPort())
                .timeouts(new Timeouts(1000, 10_000, 10_000, 0, 0, 0, 300, 0)).build(), 2);
        int port = proxy.ports(Tables.FRONTEND).get(0);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(s.getInputStream().readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("ping");
            long t0 = System.nanoTime();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(200);
        }
    }

    private void echoOnce() {
        try (Socket s = echo.accept()) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (Exception ignored) {
            // connection closed by the test
        }
    }
}
