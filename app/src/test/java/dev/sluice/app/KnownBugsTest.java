package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.proxy.RawHttpClient.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Behaviour Sluice gets wrong today, each asserting what HAProxy 2.6 (checked by hand against
 * haproxy on the same request) or the RFC requires. Every test here fails until its bug is fixed;
 * the build excludes this class (app/pom.xml), run it with {@code -Dtest=KnownBugsTest}. When a
 * fix lands, move its test to the class that covers the feature.
 */
class KnownBugsTest {

    private static Origins origins;
    private RunningProxy proxy;

    @BeforeAll
    static void startOrigins() {
        origins = new Origins();
    }

    @AfterAll
    static void stopOrigins() {
        origins.close();
    }

    @AfterEach
    void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private int start(String config) throws Exception {
        proxy = RunningProxy.start(origins, config);
        return proxy.port("fe");
    }

    // BUG: with every primary down, HAProxy sends all traffic to the first backup server and
    // balances over all backups only with "option allbackups" (checked against haproxy 2.6).
    // Sluice always balances over all backups and ignores allbackups.
    @Test
    void backups_onlyTheFirstServesWithoutAllbackups() throws Exception {
        int port = start("""
                frontend fe
                    default_backend pool
                backend pool
                    server p1 {{bk-primary}} disabled
                    server b1 {{bk-first}} backup
                    server b2 {{bk-second}} backup
                """);

        for (int i = 0; i < 4; i++) {
            assertThat(Http.servedBy(port, "/")).isEqualTo("bk-first");
        }
    }
}
