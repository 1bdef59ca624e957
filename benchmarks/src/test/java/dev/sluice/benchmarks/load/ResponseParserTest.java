package dev.sluice.benchmarks.load;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseParserTest {

    private final List<String> events = new ArrayList<>();
    private final ResponseParser.Listener listener = new ResponseParser.Listener() {
        @Override
        public void onResponse(int status, long bodyBytes) {
            events.add(status + " " + bodyBytes);
        }

        @Override
        public void onBadResponse(String reason) {
            events.add("bad: " + reason);
        }
    };
    private final EmbeddedChannel channel = new EmbeddedChannel(new ResponseParser(listener));

    @Test
    void contentLengthResponse_arrivingByteByByte_isOneResponse() {
        byte[] bytes = "HTTP/1.1 200 OK\r\nServer: x\r\nContent-Length: 5\r\n\r\nhello".getBytes(US_ASCII);
        for (byte b : bytes) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }

        assertThat(events).containsExactly("200 5");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void chunkedResponse_withExtensionAndTrailer_countsTheChunkBytes() {
        write("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, CHUNKED\r\n\r\n"
                + "5;name=value\r\nhello\r\n"
                + "A\r\n0123456789\r\n"
                + "0\r\nTrailer: t\r\n\r\n");

        assertThat(events).containsExactly("200 15");
    }

    @Test
    void responsesInOneRead_eachReportedWithItsStatus() {
        write("HTTP/1.1 503 Service Unavailable\r\ncontent-LENGTH: 3\r\n\r\nbad"
                + "HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 204 No Content\r\n\r\n"
                + "HTTP/1.0 200 OK\r\nContent-Length:0\r\n\r\n");

        assertThat(events).containsExactly("503 3", "204 0", "200 0");
    }

    @Test
    void responseWithoutLength_isBadAndClosesTheConnection() {
        write("HTTP/1.1 200 OK\r\nServer: x\r\n\r\nbody until close");

        assertThat(events).hasSize(1);
        assertThat(events.get(0)).startsWith("bad: status 200 without Content-Length or chunked encoding");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void malformedStatusLineAndLength_areBad() {
        write("HTTP/1.1 2x0 OK\r\n\r\n");
        assertThat(events).containsExactly("bad: status code is not three digits");

        events.clear();
        EmbeddedChannel other = new EmbeddedChannel(new ResponseParser(listener));
        other.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n", US_ASCII));
        assertThat(events).containsExactly("bad: Content-Length is not a number");
    }

    @Test
    void endlessHeaderLine_isBadOnceItPassesTheLimit() {
        write("HTTP/1.1 200 OK\r\nX: " + "a".repeat(ResponseParser.MAX_LINE));

        assertThat(events).containsExactly("bad: a line longer than " + ResponseParser.MAX_LINE + " bytes");
    }

    private void write(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, US_ASCII));
    }
}
