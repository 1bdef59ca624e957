package dev.sluice.discovery;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 over one accepted channel (TCP or UNIX domain), as much of it as a Docker client
 * uses: requests with or without a body, keep-alive, fixed-length and chunked responses. Reads
 * and writes go to the channel directly (not through {@code Channels.newInputStream}, which would
 * hold the channel's blocking lock while a read waits and so keep an event from being written).
 */
final class FakeDockerHttp {

    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

    private FakeDockerHttp() {
    }

    /** One request: its method, path and decoded query, and its headers with lower-case names. */
    record Request(String method, String target, String path, Map<String, String> query,
                   Map<String, String> headers, boolean http11) {

        boolean keepAlive() {
            String connection = headers.getOrDefault("connection", "");
            return http11 ? !connection.equalsIgnoreCase("close") : connection.equalsIgnoreCase("keep-alive");
        }

        /** "METHOD PATH?QUERY" with the query percent-decoded, as {@link FakeDockerEngine#requests()} lists it. */
        String describe() {
            int q = target.indexOf('?');
            if (q < 0) {
                return method + " " + target;
            }
            return method + " " + target.substring(0, q) + "?" + decode(target.substring(q + 1));
        }
    }

    static final class Connection implements Closeable {
        private static final int MAX_HEAD = 64 * 1024;

        private final ByteChannel channel;
        private final ByteBuffer in = ByteBuffer.allocate(MAX_HEAD);

        Connection(ByteChannel channel) {
            this.channel = channel;
            in.flip();
        }

        /** The next request, its body read and dropped; null when the client closed between requests. */
        Request read() throws IOException {
            int end;
            while ((end = indexOf(in, "\r\n\r\n")) < 0) {
                if (in.remaining() == in.capacity()) {
                    throw new IOException("request head longer than " + MAX_HEAD + " bytes");
                }
                if (fill() < 0) {
                    if (in.hasRemaining()) {
                        throw new EOFException("the client closed the connection within a request head");
                    }
                    return null;
                }
            }
            byte[] head = new byte[end - in.position()];
            in.get(head);
            in.position(in.position() + 4);
            String[] lines = new String(head, StandardCharsets.ISO_8859_1).split("\r\n");
            String[] requestLine = lines[0].split(" ");
            if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1.x request line: " + lines[0]);
            }
            Map<String, String> headers = new TreeMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).trim().toLowerCase(), lines[i].substring(colon + 1).trim());
                }
            }
            skipBody(headers);
            String target = requestLine[1];
            int q = target.indexOf('?');
            String path = q < 0 ? target : target.substring(0, q);
            Map<String, String> query = new TreeMap<>();
            if (q >= 0) {
                for (String pair : target.substring(q + 1).split("&")) {
                    int eq = pair.indexOf('=');
                    String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                    if (!key.isEmpty()) {
                        query.putIfAbsent(key, eq < 0 ? "" : decode(pair.substring(eq + 1)));
                    }
                }
            }
            return new Request(requestLine[0], target, path, query, headers, requestLine[2].equals("HTTP/1.1"));
        }

        /** Writes a whole response: status line, headers (Go writes them sorted), body. */
        void respond(int status, Map<String, String> headers, byte[] body, boolean headRequest) throws IOException {
            Map<String, String> all = new TreeMap<>(headers);
            all.put("Content-Length", Integer.toString(body.length));
            byte[] head = head(status, all);
            ByteBuffer out = ByteBuffer.allocate(head.length + (headRequest ? 0 : body.length));
            out.put(head);
            if (!headRequest) {
                out.put(body);
            }
            write(out.flip());
        }

        /** Starts a response of unknown length: chunked when {@code chunked}, else ended by closing. */
        void startStream(int status, Map<String, String> headers, boolean chunked) throws IOException {
            Map<String, String> all = new TreeMap<>(headers);
            if (chunked) {
                all.put("Transfer-Encoding", "chunked");
            } else {
                all.put("Connection", "close");
            }
            write(ByteBuffer.wrap(head(status, all)));
        }

        void writeChunk(byte[] data, boolean chunked) throws IOException {
            if (!chunked) {
                write(ByteBuffer.wrap(data));
                return;
            }
            byte[] size = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            ByteBuffer out = ByteBuffer.allocate(size.length + data.length + 2);
            write(out.put(size).put(data).put((byte) '\r').put((byte) '\n').flip());
        }

        void endChunks() throws IOException {
            write(ByteBuffer.wrap("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }

        private void write(ByteBuffer out) throws IOException {
            while (out.hasRemaining()) {
                channel.write(out);
            }
        }

        private int fill() throws IOException {
            in.compact();
            try {
                return channel.read(in);
            } finally {
                in.flip();
            }
        }

        private void skipBody(Map<String, String> headers) throws IOException {
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                long size;
                do {
                    String line = readLine();
                    int semi = line.indexOf(';');
                    size = Long.parseLong((semi < 0 ? line : line.substring(0, semi)).trim(), 16);
                    skip(size);
                    if (size > 0) {
                        readLine();
                    }
                } while (size > 0);
                while (!readLine().isEmpty()) {
                    // trailers are dropped
                }
                return;
            }
            String length = headers.get("content-length");
            if (length != null) {
                skip(Long.parseLong(length.trim()));
            }
        }

        private void skip(long n) throws IOException {
            while (n > 0) {
                if (!in.hasRemaining() && fill() < 0) {
                    throw new EOFException("the client closed the connection within a request body");
                }
                int step = (int) Math.min(n, in.remaining());
                in.position(in.position() + step);
                n -= step;
            }
        }

        private String readLine() throws IOException {
            int end;
            while ((end = indexOf(in, "\r\n")) < 0) {
                if (in.remaining() == in.capacity() || fill() < 0) {
                    throw new EOFException("no line end in a chunked request body");
                }
            }
            byte[] line = new byte[end - in.position()];
            in.get(line);
            in.position(in.position() + 2);
            return new String(line, StandardCharsets.US_ASCII);
        }
    }

    static String reason(int status) {
        switch (status) {
            case 200: return "OK";
            case 400: return "Bad Request";
            case 404: return "Not Found";
            case 500: return "Internal Server Error";
            case 503: return "Service Unavailable";
            default: return "Status " + status;
        }
    }

    /** The value of a {@code Date} header now. */
    static String date() {
        return HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC));
    }

    private static byte[] head(int status, Map<String, String> headers) {
        StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        return sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static int indexOf(ByteBuffer buf, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = buf.position(); i <= buf.limit() - n.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (buf.get(i + j) != n[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
