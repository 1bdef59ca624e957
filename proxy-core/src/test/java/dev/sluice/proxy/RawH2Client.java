package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * An HTTP/2 client over TLS (ALPN h2) that writes and reads raw frames, for tests that need to
 * see what a library client hides: GOAWAY, interim HEADERS, when a stream ends. Requests are
 * HPACK-encoded without Huffman or indexing; response header blocks are decoded with Netty's
 * decoder (one per connection, as HPACK's dynamic table requires).
 */
final class RawH2Client implements AutoCloseable {

    static final int DATA = 0;
    static final int HEADERS = 1;
    static final int RST_STREAM = 3;
    static final int GOAWAY = 7;

    private final SSLSocket socket;
    private final DataInputStream in;
    private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(true);

    /** Connects, checks that h2 was chosen, and sends the preface and an empty SETTINGS frame. */
    RawH2Client(int port) throws Exception {
        socket = (SSLSocket) TrustAll.context().getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        SSLParameters params = socket.getSSLParameters();
        params.setApplicationProtocols(new String[] {"h2"});
        socket.setSSLParameters(params);
        socket.startHandshake();
        assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
        in = new DataInputStream(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0});
        out.flush();
    }

    /** A request's HEADERS frame: {@code method} and {@code path} on https, authority h2.test, then {@code headers}. */
    void request(int streamId, String method, String path, Map<String, String> headers, boolean endStream)
            throws IOException {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        literal(block, ":method", method);
        literal(block, ":scheme", "https");
        literal(block, ":path", path);
        literal(block, ":authority", "h2.test");
        headers.forEach((name, value) -> literal(block, name, value));
        frame(HEADERS, 0x04 | (endStream ? 0x01 : 0), streamId, block.toByteArray());
    }

    void data(int streamId, byte[] bytes, boolean endStream) throws IOException {
        frame(DATA, endStream ? 0x01 : 0, streamId, bytes);
    }

    private void frame(int type, int flags, int streamId, byte[] payload) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(new byte[] {(byte) (payload.length >> 16), (byte) (payload.length >> 8), (byte) payload.length,
                (byte) type, (byte) flags, (byte) (streamId >> 24), (byte) (streamId >> 16), (byte) (streamId >> 8),
                (byte) streamId});
        out.write(payload);
        out.flush();
    }

    /** A literal header field without indexing, new name, no Huffman (names and values under 127 bytes). */
    private static void literal(ByteArrayOutputStream block, String name, String value) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        byte[] v = value.getBytes(StandardCharsets.US_ASCII);
        block.write(0x00);
        block.write(n.length);
        block.writeBytes(n);
        block.write(v.length);
        block.writeBytes(v);
    }

    /** The next frame; HEADERS frames come decoded. */
    Frame read() throws IOException {
        int length = in.readUnsignedByte() << 16 | in.readUnsignedShort();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int streamId = in.readInt() & 0x7fffffff;
        byte[] payload = new byte[length];
        in.readFully(payload);
        Http2Headers headers = null;
        if (type == HEADERS) {
            try {
                headers = decoder.decodeHeaders(streamId, Unpooled.wrappedBuffer(payload));
            } catch (Http2Exception e) {
                throw new IOException("a header block that does not decode", e);
            }
        }
        return new Frame(type, flags, streamId, payload, headers);
    }

    /** Frames until stream {@code streamId} ends (END_STREAM or RST_STREAM), that one included. */
    List<Frame> readStream(int streamId) throws IOException {
        List<Frame> frames = new ArrayList<>();
        Frame f;
        do {
            f = read();
            frames.add(f);
        } while (!(f.streamId == streamId && (f.endStream() || f.type == RST_STREAM)));
        return frames;
    }

    /** Frames until the server closes the connection. */
    List<Frame> readUntilClosed() throws IOException {
        List<Frame> frames = new ArrayList<>();
        while (true) {
            try {
                frames.add(read());
            } catch (EOFException | SSLException closed) {
                return frames;
            }
        }
    }

    static Frame only(List<Frame> frames, int type) {
        List<Frame> of = frames.stream().filter(f -> f.type == type).toList();
        assertThat(of).as("frames of type %d in %s", type, frames).hasSize(1);
        return of.get(0);
    }

    static String body(List<Frame> frames, int streamId) {
        StringBuilder s = new StringBuilder();
        for (Frame f : frames) {
            if (f.type == DATA && f.streamId == streamId) {
                s.append(new String(f.payload, StandardCharsets.UTF_8));
            }
        }
        return s.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    record Frame(int type, int flags, int streamId, byte[] payload, Http2Headers headers) {

        boolean endStream() {
            return (type == DATA || type == HEADERS) && (flags & 0x1) != 0;
        }

        String status() {
            return headers == null || headers.status() == null ? null : headers.status().toString();
        }

        int lastStreamId() {
            return ((payload[0] & 0x7f) << 24) | ((payload[1] & 0xff) << 16) | ((payload[2] & 0xff) << 8)
                    | (payload[3] & 0xff);
        }

        int errorCode() {
            int at = type == GOAWAY ? 4 : 0;
            return ((payload[at] & 0xff) << 24) | ((payload[at + 1] & 0xff) << 16) | ((payload[at + 2] & 0xff) << 8)
                    | (payload[at + 3] & 0xff);
        }

        @Override
        public String toString() {
            return "Frame[type=" + type + ", flags=" + flags + ", stream=" + streamId + ", length=" + payload.length
                    + (headers == null ? "" : ", " + headers) + "]";
        }
    }
}
