package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.routing.ServerState;
import org.junit.jupiter.api.AfterEach;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Base of the data-plane tests that need an origin answering exact bytes ({@link ScriptedOrigin})
 * and a look at the server's request count after every kind of ending.
 */
abstract class ScriptedOriginTest extends DataPlaneTest {

    ScriptedOrigin scripted;

    @AfterEach
    void stopScripted() throws IOException {
        if (scripted != null) {
            scripted.close();
        }
    }

    ServerState serverState() {
        return proxy.table().backend("be").servers().get(0).state();
    }

    void awaitNoActiveRequests() {
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(serverState().active()).isZero());
    }

    static RawHttpClient.Response readOrFail(RawHttpClient c, int index) throws IOException {
        try {
            return c.read();
        } catch (IOException e) {
            throw new AssertionError("no response " + index, e);
        }
    }

    static String readHead(InputStream in) throws IOException {
        return readUntil(in, "\r\n\r\n");
    }

    static String readUntil(InputStream in, String end) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < 1_000_000; i++) {
            int c = in.read();
            if (c == -1) {
                break;
            }
            b.write(c);
            if (b.toString(StandardCharsets.ISO_8859_1).endsWith(end)) {
                break;
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** Counts a chunked body's bytes, up to the terminating chunk or the end of the connection. */
    static long countChunked(InputStream in) throws IOException {
        long total = 0;
        byte[] buf = new byte[65536];
        for (int chunks = 0; chunks < 1_000_000; chunks++) {
            String sizeLine = readUntil(in, "\r\n").trim();
            if (sizeLine.isEmpty()) {
                return total;
            }
            int size = Integer.parseInt(sizeLine.split(";")[0], 16);
            if (size == 0) {
                return total;
            }
            int left = size;
            while (left > 0) {
                int r = in.read(buf, 0, Math.min(buf.length, left));
                if (r < 0) {
                    return total;
                }
                left -= r;
                total += r;
            }
            readUntil(in, "\r\n");
        }
        return total;
    }
}
