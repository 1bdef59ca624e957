package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.routing.Timeouts;
import dev.sluice.routing.stats.Traffic;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.time.Duration;

/**
 * The data plane reads the clock once per read event ({@link EventClock}) and reuses a connection's
 * statistics object from one request to the next: timeouts still count from the request that
 * started them (not from an earlier event of the connection), and every request of a keep-alive
 * connection is counted and timed on its own.
 */
class PerEventClockTest extends ScriptedOriginTest {

    @Test
    void timeoutServer_ofTheNextRequest_countsFromThatRequest() throws Exception {
        start(Tables.builder().server(backend.port()).timeouts(new Timeouts(1000, 10_000, 600, 5000, 10_000, 0, 0, 0)));
        try (RawHttpClient c = new RawHttpClient(port, 10_000)) {
            assertThat(c.get("/a").status()).isEqualTo(200);
            // within timeout server: the first request's timer task is still queued, and a deadline
            // counted from an earlier event's time would make it fire 300 ms early
            Thread.sleep(300);
            long t0 = System.nanoTime();
            assertThat(c.get("/hang").status()).isEqualTo(504);
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(500L, 3000L);
        }
        assertThat(serverState().traffic().sum(Traffic.REUSES)).isEqualTo(1);
    }

    @Test
    void timeoutClient_ofTheNextRequest_countsFromItsLastByte() throws Exception {
        start(Tables.builder().server(backend.port()).timeouts(new Timeouts(1000, 500, 10_000, 5000, 10_000, 0, 0, 0)));
        try (RawHttpClient c = new RawHttpClient(port, 10_000)) {
            assertThat(c.get("/a").status()).isEqualTo(200);
            // within timeout client: the first request's check is still queued (as above)
            Thread.sleep(300);
            c.send("POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\npartial");
            long t0 = System.nanoTime();
            assertThat(c.isClosedByServer()).isTrue();
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(400L, 3000L);
        }
    }

    @Test
    void eachRequestOfAKeepAliveConnection_isCountedAndTimedOnItsOwn() throws Exception {
        start(Tables.builder().server(backend.port()).timeouts(new Timeouts(1000, 10_000, 600, 5000, 10_000, 0, 0, 0)));
        try (RawHttpClient c = new RawHttpClient(port, 10_000)) {
            assertThat(c.get("/slow?ms=300").status()).isEqualTo(200);
            assertThat(c.get("/hang").status()).isEqualTo(504);
            for (int i = 0; i < 3; i++) {
                assertThat(c.get("/a").status()).isEqualTo(200);
            }
        }
        Traffic server = serverState().traffic();
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(server.sum(Traffic.REQUESTS)).isEqualTo(5));
        assertThat(server.sum(Traffic.RESPONSES_2XX)).isEqualTo(4);
        assertThat(server.sum(Traffic.RESPONSES_5XX)).isEqualTo(1);
        assertThat(server.sum(Traffic.RESPONSE_ERRORS)).isEqualTo(1);
        // the 504 is Sluice's own answer: response times are those of the four the server gave
        Histogram times = server.latency().total();
        assertThat(times.getTotalCount()).isEqualTo(4);
        assertThat(times.getMaxValue()).isBetween(290_000L, 3_000_000L);
        assertThat(times.getMinValue()).isBetween(1L, 290_000L);
        Traffic backendTraffic = proxy.table().traffic().backend("be");
        assertThat(backendTraffic.latency().total().getTotalCount()).isEqualTo(4);
        assertThat(backendTraffic.sum(Traffic.REQUESTS)).isEqualTo(5);
    }
}
