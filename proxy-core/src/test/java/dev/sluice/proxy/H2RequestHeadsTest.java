package dev.sluice.proxy;

import static dev.sluice.proxy.RawH2Client.HEADERS;
import static dev.sluice.proxy.RawH2Client.body;
import static dev.sluice.proxy.RawH2Client.only;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.proxy.RawH2Client.Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

/**
 * An HTTP/2 request head that cannot become an HTTP/1.1 request for the origin is answered 400 on
 * its stream, as an HTTP/1.1 request that does not parse is; the connection and its other streams
 * go on. It used to be reset (RST_STREAM CANCEL), which a client reports as a broken stream.
 */
class H2RequestHeadsTest {

    private TlsFrontend frontend;

    @BeforeEach
    void setUp() throws Exception {
        frontend = TlsFrontend.start(" timeout client 10s\n timeout server 10s\n", false);
    }

    @AfterEach
    void tearDown() {
        frontend.close();
    }

    @Test
    void authorityAndHostThatDiffer_are400_andTheConnectionGoesOn() throws Exception {
        try (RawH2Client h2 = new RawH2Client(frontend.tlsPort)) {
            // RFC 9113 section 8.3.1: a Host that names another entity than :authority (h2.test) is malformed
            h2.request(1, "GET", "/x", Map.of("host", "other.test"), true);
            List<Frame> bad = h2.readStream(1);
            Frame head = only(bad, HEADERS);
            assertThat(head.status()).as("%s", bad).isEqualTo("400");
            assertThat(bad.get(bad.size() - 1).type()).as("ends with the answer: %s", bad)
                    .isNotEqualTo(RawH2Client.RST_STREAM);
            assertThat(frontend.backend.requests()).as("nothing reached the server").isZero();

            h2.request(3, "GET", "/y", Map.of("host", "h2.test"), true);
            List<Frame> good = h2.readStream(3);
            assertThat(only(good, HEADERS).status()).isEqualTo("200");
            assertThat(body(good, 3)).contains("server=app").contains("host: h2.test");
        }
    }
}
