package dev.sluice.proxy;

import static dev.sluice.proxy.RawH2Client.HEADERS;
import static dev.sluice.proxy.RawH2Client.body;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.proxy.RawH2Client.Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * An HTTP/2 client's {@code Expect: 100-continue} upload: the server's 100 reaches the client as
 * a HEADERS frame that does not end the stream, the client then sends its body, and the final
 * answer follows on the same stream. The stream used to be reset (CANCEL) when the 100 came back.
 */
class H2InterimResponsesTest {

    private TlsFrontend frontend;
    private int port;

    @BeforeEach
    void setUp() throws Exception {
        frontend = TlsFrontend.start(" timeout client 10s\n timeout server 10s\n", false);
        port = frontend.tlsPort;
    }

    @AfterEach
    void tearDown() {
        frontend.close();
    }

    @Test
    void expectContinue_the100IsRelayed_thenTheBodyIsSent_andAnswered() throws Exception {
        try (RawH2Client h2 = new RawH2Client(port)) {
            h2.request(1, "POST", "/upload", Map.of("content-length", "5", "expect", "100-continue"), false);
            Frame interim;
            do {
                interim = h2.read();
            } while (interim.type() != HEADERS);
            assertThat(interim.streamId()).isEqualTo(1);
            assertThat(interim.status()).isEqualTo("100");
            assertThat(interim.endStream()).isFalse();

            h2.data(1, "hello".getBytes(StandardCharsets.US_ASCII), true);
            List<Frame> rest = h2.readStream(1);
            Frame last = rest.get(rest.size() - 1);
            assertThat(last.type()).as("the stream ends with the answer, not a reset: %s", rest)
                    .isNotEqualTo(RawH2Client.RST_STREAM);
            Frame head = rest.stream().filter(f -> f.type() == HEADERS).findFirst().orElseThrow();
            assertThat(head.status()).isEqualTo("200");
            assertThat(body(rest, 1)).contains("received=5");
        }
    }
}
