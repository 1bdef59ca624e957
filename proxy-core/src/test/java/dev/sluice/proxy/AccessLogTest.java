package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

class AccessLogTest {

    private static final AccessLogEntry ENTRY = new AccessLogEntry("10.0.0.7", 43322, 1_795_624_200_123L, "services",
            true, "app-be8080_0", "app", 0, 1, 2, 3, 200, 651, "----", 4, 1, 0, "GET", "/api/items?q=\"x\"", "HTTP/1.1");

    @Test
    void httplog_isHaproxysLine() {
        StringBuilder line = new StringBuilder();
        AccessLogFormats.httplog(ENTRY, line);
        assertThat(line.toString()).isEqualTo("10.0.0.7:43322 [25/Nov/2026:16:30:00.123] services~ app-be8080_0/app "
                + "0/0/1/2/3 200 651 - - ---- 4/4/0/1/0 0/0 \"GET /api/items?q=#22x#22 HTTP/1.1\"");
    }

    @Test
    void json_isOneObjectPerLine() {
        StringBuilder line = new StringBuilder();
        AccessLogFormats.json(ENTRY, line);
        assertThat(line.toString()).startsWith("{\"time\":\"2026-11-25T16:30:00.123Z\",\"client_ip\":\"10.0.0.7\"")
                .contains("\"uri\":\"/api/items?q=\\\"x\\\"\"", "\"status\":200", "\"total_ms\":3")
                .endsWith("\"termination\":\"----\"}");
    }

    @Test
    void linesAreWrittenAsynchronously_andFlushedOnClose() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AccessLog log = AccessLog.start(AccessLog.Format.HTTPLOG, out);
        for (int i = 0; i < 1000; i++) {
            log.log(ENTRY);
        }
        log.close();
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).hasSize(1000);
        assertThat(log.written()).isEqualTo(1000);
        assertThat(log.dropped()).isZero();
    }

    @Test
    @Timeout(60)
    void aStalledOutput_dropsAndCounts_neverBlocksTheCaller() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        OutputStream stalled = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        AccessLog log = AccessLog.start(AccessLog.Format.JSON, stalled, 16);
        for (int i = 0; i < 100_000; i++) {
            log.log(ENTRY); // were this to wait for the output, it would wait 30 s per line: the timeout fails it
        }
        assertThat(release.getCount()).as("the output is still stalled").isEqualTo(1);
        assertThat(log.dropped()).isGreaterThan(99_000);
        release.countDown();
        log.close();
    }
}
