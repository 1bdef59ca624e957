package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/** Bodies are streamed, never aggregated: 100 MB each way with a bounded proxy buffer pool. */
class StreamingTest extends DataPlaneTest {

    private static final long HUNDRED_MB = 100L * 1024 * 1024;
    /** The most pooled memory the proxy may hold while 100 MB pass through it. */
    private static final long MAX_POOLED = 32L * 1024 * 1024;

    @BeforeEach
    void startProxy() throws Exception {
        start(Tables.builder().server(backend.port()));
    }

    @Test
    void download_100MB_isStreamedWithBoundedMemory() throws Exception {
        AtomicLong peak = new AtomicLong();
        try (RawHttpClient c = new RawHttpClient(port, 30_000)) {
            c.send("GET /bytes?n=" + HUNDRED_MB + " HTTP/1.1\r\nHost: h\r\n\r\n");
            InputStream in = c.input();
            // Skip the head, then count the chunked body slowly enough that backpressure matters.
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("transfer-encoding: chunked");
            long total = countChunkedBody(in, peak);
            assertThat(total).isEqualTo(HUNDRED_MB);
        }
        assertThat(peak.get()).isLessThan(MAX_POOLED);
    }

    @Test
    void upload_100MB_chunked_isStreamedWithBoundedMemory() throws Exception {
        AtomicLong peak = new AtomicLong();
        try (RawHttpClient c = new RawHttpClient(port, 30_000)) {
            OutputStream out = c.output();
            out.write("POST /upload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[256 * 1024];
            String size = Integer.toHexString(chunk.length) + "\r\n";
            for (long sent = 0; sent < HUNDRED_MB; sent += chunk.length) {
                out.write(size.getBytes(StandardCharsets.US_ASCII));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                sample(peak);
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            RawHttpClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("received=" + HUNDRED_MB);
        }
        assertThat(peak.get()).isLessThan(MAX_POOLED);
    }

    @Test
    void upload_withContentLength_isForwardedWhole() throws Exception {
        try (RawHttpClient c = new RawHttpClient(port)) {
            byte[] body = new byte[3_000_000];
            c.send("PUT /upload HTTP/1.1\r\nHost: h\r\nContent-Length: " + body.length + "\r\n\r\n");
            c.send(body);
            RawHttpClient.Response r = c.read();
            assertThat(r.bodyText()).isEqualTo("received=" + body.length);
            assertThat(c.get("/again").status()).isEqualTo(200);
        }
    }

    private static void sample(AtomicLong peak) {
        var m = PooledByteBufAllocator.DEFAULT.metric();
        peak.accumulateAndGet(m.usedDirectMemory() + m.usedHeapMemory(), Math::max);
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            sb.append((char) c);
        }
        return sb.toString();
    }

    private static long countChunkedBody(InputStream in, AtomicLong peak) throws Exception {
        long total = 0;
        byte[] buf = new byte[64 * 1024];
        while (true) {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                line.append((char) c);
            }
            int size = Integer.parseInt(line.toString().trim(), 16);
            if (size == 0) {
                in.read();
                in.read();
                return total;
            }
            int left = size;
            while (left > 0) {
                int n = in.read(buf, 0, Math.min(buf.length, left));
                left -= n;
                total += n;
            }
            in.read();
            in.read();
            sample(peak);
        }
    }
}
