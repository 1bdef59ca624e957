package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.Bind;
import dev.sluice.routing.RoutingCompiler;
import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.ProxyConfig;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Bodies to and from an h2 origin are streamed under flow control, never aggregated. */
class H2StreamingTest {

    private static final long SIZE = 64L * 1024 * 1024;
    /** The most pooled memory the proxy (and the backend, same JVM) may hold meanwhile. */
    private static final long MAX_POOLED = 32L * 1024 * 1024;

    private H2TestBackend backend;
    private ProxyServer proxy;
    private int port;

    @BeforeEach
    void setUp() throws Exception {
        backend = H2TestBackend.start("h2");
        String text = "defaults\n mode http\n timeout connect 2s\n timeout client 30s\n timeout server 30s\n"
                + "frontend fe\n default_backend app\n"
                + "backend app\n server a 127.0.0.1:" + backend.port() + " proto h2\n";
        ProxyConfig config = ConfigParser.parse(text, "h2.cfg", Path.of(".")).config()
                .withBinds("fe", List.of(new Bind("127.0.0.1", 0, false)));
        proxy = ProxyServer.start(RoutingCompiler.compile(config, null), 1);
        port = proxy.ports("fe").get(0);
    }

    @AfterEach
    void tearDown() {
        proxy.close();
        backend.close();
    }

    @Test
    void download_isStreamedWithBoundedMemory_toASlowReader() throws Exception {
        AtomicLong peak = new AtomicLong();
        try (RawHttpClient c = new RawHttpClient(port, 30_000)) {
            c.send("GET /bytes/" + SIZE + " HTTP/1.1\r\nHost: h\r\n\r\n");
            InputStream in = c.input();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.read());
            }
            assertThat(head.toString()).startsWith("HTTP/1.1 200").containsIgnoringCase("transfer-encoding: chunked");
            long total = 0;
            byte[] buf = new byte[64 * 1024];
            while (true) {
                StringBuilder line = new StringBuilder();
                int ch;
                while ((ch = in.read()) != '\n') {
                    line.append((char) ch);
                }
                int size = Integer.parseInt(line.toString().trim(), 16);
                if (size == 0) {
                    break;
                }
                for (int left = size; left > 0; ) {
                    int n = in.read(buf, 0, Math.min(buf.length, left));
                    left -= n;
                    total += n;
                }
                in.read();
                in.read();
                sample(peak);
            }
            assertThat(total).isEqualTo(SIZE);
        }
        assertThat(peak.get()).isLessThan(MAX_POOLED);
    }

    @Test
    void chunkedUpload_isStreamedWithBoundedMemory() throws Exception {
        AtomicLong peak = new AtomicLong();
        try (RawHttpClient c = new RawHttpClient(port, 30_000)) {
            OutputStream out = c.output();
            out.write("POST /count HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[256 * 1024];
            String size = Integer.toHexString(chunk.length) + "\r\n";
            for (long sent = 0; sent < SIZE; sent += chunk.length) {
                out.write(size.getBytes(StandardCharsets.US_ASCII));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                sample(peak);
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            RawHttpClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("received=" + SIZE);
        }
        assertThat(peak.get()).isLessThan(MAX_POOLED);
    }

    private static void sample(AtomicLong peak) {
        var m = PooledByteBufAllocator.DEFAULT.metric();
        peak.accumulateAndGet(m.usedDirectMemory() + m.usedHeapMemory(), Math::max);
    }
}
