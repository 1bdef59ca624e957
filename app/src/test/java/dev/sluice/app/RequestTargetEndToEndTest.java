package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.proxy.RawHttpClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Request targets HAProxy refuses before routing are refused by Sluice too (checked against haproxy 2.6). */
class RequestTargetEndToEndTest {

    @RegisterExtension
    static final ProxyFixture sluice = new ProxyFixture();

    /** Two backends told apart by Host. */
    private static final String HOST_ROUTED = """
                frontend fe
                    use_backend internal if { hdr(host) -i internal.example }
                    default_backend public
                backend internal
                    server s1 {{internal}}
                backend public
                    server s1 {{public}}
                """;

    private int start(String config) throws Exception {
        return sluice.start(config);
    }

    // Routed on Host but delivered by the URI's authority would let a client reach a backend it
    // was not routed to (RFC 9112 section 3.2.2). HAProxy answers 400.
    @Test
    void absoluteFormRequest_withADifferentHost_isRejectedWith400() throws Exception {
        int port = start(HOST_ROUTED);

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
        int before = sluice.origins().get("target").requests();

        assertThat(Http.get(port, "abc").status()).isEqualTo(400);
        assertThat(sluice.origins().get("target").requests()).isEqualTo(before);
    }

    @Test
    void twoDifferentHostHeaders_areRejectedWith400WithoutReachingAnOrigin() throws Exception {
        int port = start(HOST_ROUTED);
        int before = sluice.origins().get("internal").requests() + sluice.origins().get("public").requests();

        Response r = Http.get(port, "/", "Host: public.example", "Host: internal.example");

        assertThat(r.status()).isEqualTo(400);
        assertThat(sluice.origins().get("internal").requests() + sluice.origins().get("public").requests()).isEqualTo(before);
    }
}
