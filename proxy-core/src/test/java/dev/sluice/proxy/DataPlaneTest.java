package dev.sluice.proxy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the data-plane tests: a real origin ({@link #backend}, named {@code b1}) per test and
 * a proxy started on a hand-built routing table, both closed after the test.
 */
abstract class DataPlaneTest {

    TestBackend backend;
    ProxyServer proxy;
    /** The proxy's frontend port once {@link #start} ran. */
    int port;

    @BeforeEach
    void startBackend() {
        backend = TestBackend.start("b1");
    }

    @AfterEach
    void stopAll() {
        if (proxy != null) {
            proxy.close();
        }
        backend.close();
    }

    /** Starts the proxy on {@code table} with two event loops; sets {@link #port}. */
    void start(Tables.Builder table) throws Exception {
        proxy = ProxyServer.start(table.build(), 2);
        port = proxy.ports(Tables.FRONTEND).get(0);
    }
}
