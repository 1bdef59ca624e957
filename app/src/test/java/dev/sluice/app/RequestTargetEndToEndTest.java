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

/** Request targets HAProxy refuses before routing are refused by Sluice too (checked against haproxy 2.6). */
class RequestTargetEndToEndTest {

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

    // Routed on Host but delivered by the URI's authority would let a client reach a backend it
    // was not routed to (RFC 9112 section 3.2.2). HAProxy answers 400.
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

    // Neither origin form ("/...") nor absolute form nor "*": RFC 9112 section 3.2, HAProxy: 400.
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
}
