package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.routing.Timeouts;
import org.junit.jupiter.api.Test;

import java.net.SocketTimeoutException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LimitsAndTimeoutsTest extends DataPlaneTest {

    @Test
    void maxconn_holdsNewConnectionsUntilOneCloses() throws Exception {
        start(Tables.builder().server(backend.port()).maxconn(2));
        assertThirdConnectionWaitsForASlot();
    }

    @Test
    void globalMaxconn_holdsNewConnectionsUntilOneCloses() throws Exception {
        start(Tables.builder().server(backend.port()).globalMaxconn(2));
        assertThirdConnectionWaitsForASlot();
    }

    private void assertThirdConnectionWaitsForASlot() throws Exception {
        RawHttpClient a = new RawHttpClient(port);
        RawHttpClient b = new RawHttpClient(port);
        assertThat(a.get("/a").status()).isEqualTo(200);
        assertThat(b.get("/b").status()).isEqualTo(200);
        try (RawHttpClient c = new RawHttpClient(port, 600)) {
            c.send("GET /c HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThatThrownBy(c::read).isInstanceOf(SocketTimeoutException.class);
            a.close();
            // Once a slot is free the waiting connection is accepted and answered.
            c.socketTimeout(5000);
            assertThat(c.read().status()).isEqualTo(200);
        } finally {
            b.close();
        }
    }

    @Test
    void serverHostName_isResolvedThroughDns() throws Exception {
        start(Tables.builder().server("localhost", backend.port()));
        try (RawHttpClient c = new RawHttpClient(port)) {
            assertThat(c.get("/named").header("x-server")).isEqualTo("b1");
        }
    }

    @Test
    void unresolvableServer_is503_andDoesNotStopStartUp() throws Exception {
        start(Tables.builder().server("no-such-service.invalid", 80));
        try (RawHttpClient c = new RawHttpClient(port)) {
            assertThat(c.get("/").status()).isEqualTo(503);
        }
    }

    @Test
    void clientThatStopsSendingItsBody_isClosedAfterTimeoutClient() throws Exception {
        start(Tables.builder().server(backend.port()).timeouts(new Timeouts(1000, 300, 10_000, 5000, 5000, 0, 0, 0)));
        try (RawHttpClient c = new RawHttpClient(port, 5000)) {
            c.send("POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\npartial");
            long t0 = System.nanoTime();
            assertThat(c.isClosedByServer()).isTrue();
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(250);
        }
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(backend.requests()).isEqualTo(1));
    }
}
