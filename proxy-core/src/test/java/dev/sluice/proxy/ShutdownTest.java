package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Closing the proxy closes its connections, both sides, before its event loops stop. */
class ShutdownTest extends ScriptedOriginTest {

    @Test
    void close_endsTheClientsConnections_andThePooledOriginConnections() throws Exception {
        CountDownLatch originClosed = new CountDownLatch(1);
        scripted = new ScriptedOrigin((conn, i) -> {
            while (conn.readHead() != null) {
                conn.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            }
            originClosed.countDown(); // the proxy closed the connection
        });
        start(Tables.builder().server(scripted.port()));
        try (RawHttpClient c = new RawHttpClient(port)) {
            assertThat(c.get("/a").bodyText()).isEqualTo("ok"); // the origin connection is now pooled
            proxy.close();
            assertThat(c.isClosedByServer()).isTrue();
        }
        assertThat(originClosed.await(3, TimeUnit.SECONDS)).isTrue();
        proxy.close(); // a second close does nothing
    }
}
