package dev.sluice.discovery;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 written and read by hand over a UNIX domain socket, the way a Docker client talks to
 * {@code /var/run/docker.sock}: no library between the test and the bytes, so the test sees the
 * framing (chunks) itself. One request at a time; a test reads an event stream chunk by chunk.
 */
final class RawHttpConnection implements Closeable {

    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    /** One chunk of an event stream, or the end of the stream (the connection closed: {@code data} null). */
    record Chunk(String data) {
        boolean end() {
            return data == null;
        }
    }

    private final SocketChannel channel;
    private final InputStream in;

    private RawHttpConnection(SocketChannel channel) {
        this.channel = channel;
        this.in = Channels.newInputStream(channel);
    }

    static RawHttpConnection unix(Path socket) throws IOException {
        return new RawHttpConnection(SocketChannel.open(UnixDomainSocketAddress.of(socket)));
    }

    /** Sends a GET and reads the whole answer (fixed length or chunked). */
    Response get(String target) throws IOException {
        send(target);
        Response head = readHead();
        String body;
        if ("chunked".equals(head.header("Transfer-Encoding"))) {
            StringBuilder sb = new StringBuilder();
            for (String chunk = readChunk(); chunk != null && !chunk.isEmpty(); chunk = readChunk()) {
                sb.append(chunk);
            }
            body = sb.toString();
        } else {
            body = new String(in.readNBytes(Integer.parseInt(head.header("Content-Length"))), StandardCharsets.UTF_8);
        }
        return new Response(head.status(), head.headers(), body);
    }

    /** Sends a GET of a stream and reads its head; the chunks then arrive on {@link #chunks()}. */
    Response openStream(String target) throws IOException {
        send(target);
        return readHead();
    }

    /** Reads the chunks of an opened stream on a thread of its own: a test polls them with a timeout. */
    BlockingQueue<Chunk> chunks() {
        BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try {
                for (String data = readChunk(); data != null && !data.isEmpty(); data = readChunk()) {
                    queue.add(new Chunk(data));
                }
            } catch (IOException e) {
                // the connection was cut: the end of the stream
            }
            queue.add(new Chunk(null));
        }, "raw-http-chunks");
        reader.setDaemon(true);
        reader.start();
        return queue;
    }

    static Chunk poll(BlockingQueue<Chunk> chunks, long millis) throws InterruptedException {
        return chunks.poll(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private void send(String target) throws IOException {
        String request = "GET " + target + " HTTP/1.1\r\nHost: docker\r\nUser-Agent: sluice-test\r\n\r\n";
        ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }

    private Response readHead() throws IOException {
        String statusLine = readLine();
        Map<String, String> headers = new TreeMap<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
        }
        return new Response(Integer.parseInt(statusLine.split(" ")[1]), headers, "");
    }

    /** One chunk's data; "" for the last chunk; null when the connection closed before a chunk began. */
    private String readChunk() throws IOException {
        String size;
        try {
            size = readLine();
        } catch (EOFException e) {
            return null;
        }
        int n = Integer.parseInt(size.trim(), 16);
        byte[] data = in.readNBytes(n);
        if (data.length < n) {
            throw new EOFException("the connection closed within a chunk");
        }
        if (!readLine().isEmpty()) {
            throw new IOException("a chunk of " + n + " bytes is not followed by CRLF");
        }
        if (n == 0) {
            return "";
        }
        return new String(data, StandardCharsets.UTF_8);
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the connection closed within a line");
            }
            if (prev == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            prev = b;
        }
    }
}
