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

    // BUG: an absolute-form request whose authority differs from Host is routed on the Host
    // header while the origin gets the absolute URI, whose authority RFC 9112 section 3.2.2 says
    // wins. HAProxy answers 400.
    @Test
    void absoluteFormRequest_withADifferentHost_isRejectedWith400() throws Exception {
        int port = start("""
                frontend fe
                    use_backend internal if { hdr(host) -i internal.example }
                    default_backend public
                backend internal
                    server s1 {{internal}}
                backend public
                    server s1 {{public}}
                """);

        Response r = Http.get(port, "http://internal.example/admin", "Host: public.example");

        assertThat(r.status()).isEqualTo(400);
    }

    // BUG: a request target that is neither origin-form ("/...") nor absolute-form nor "*" is
    // forwarded to the origin as is (it sees "uri=abc"). RFC 9112 section 3.2: 400; HAProxy does.
    @Test
    void requestTargetWithoutLeadingSlash_isRejectedWith400() throws Exception {
        int port = start("""
                frontend fe
                    default_backend app
                backend app
                    server s1 {{target}}
                """);
        int before = origins.get("target").requests();

        assertThat(Http.get(port, "abc").status()).isEqualTo(400);
        assertThat(origins.get("target").requests()).isEqualTo(before);
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

    // BUG: render does not catch the IllegalArgumentException of a bad DEFAULT_PORTS (run does),
    // so the user gets a stack trace instead of one line and an exit code.
    @Test
    void render_withAnInvalidDefaultPorts_exits1WithOneLine() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Main.run(new String[] {"render"}, Map.of("DEFAULT_PORTS", "99999"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("DEFAULT_PORTS", "99999");
    }
}
