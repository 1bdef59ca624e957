package dev.sluice.proxy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A blocking HTTP/1.x client over a plain socket, for tests that need exact control of the
 * bytes sent (pipelining, HTTP/1.0, malformed requests) and see exactly what came back.
 */
public final class RawHttpClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawHttpClient(int port) throws IOException {
        this(port, 10_000);
    }

    public RawHttpClient(int port, int readTimeoutMs) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(readTimeoutMs);
        in = new java.io.BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    public void socketTimeout(int ms) throws IOException {
        socket.setSoTimeout(ms);
    }

    public RawHttpClient send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    public RawHttpClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** A GET with Host, keep-alive (HTTP/1.1). */
    public Response get(String path) throws IOException {
        send("GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n");
        return read(false);
    }

    public Response read() throws IOException {
        return read(false);
    }

    /** Reads one response; {@code head} when it answers a HEAD request (no body). */
    public Response read(boolean head) throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new EOFException("connection closed before a response");
        }
        String[] parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String l;
        while ((l = line()) != null && !l.isEmpty()) {
            int colon = l.indexOf(':');
            headers.computeIfAbsent(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(l.substring(colon + 1).trim());
        }
        Response partial = new Response(statusLine, status, headers, new byte[0]);
        Map<String, List<String>> trailers = new LinkedHashMap<>();
        byte[] body;
        if (head || status == 204 || status == 304 || (status >= 100 && status < 200)) {
            body = new byte[0];
        } else if ("chunked".equalsIgnoreCase(partial.header("transfer-encoding"))) {
            body = readChunked(trailers);
        } else if (partial.header("content-length") != null) {
            body = in.readNBytes(Integer.parseInt(partial.header("content-length")));
        } else {
            body = in.readAllBytes();
        }
        return new Response(statusLine, status, headers, body, trailers);
    }

    private byte[] readChunked(Map<String, List<String>> trailers) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line();
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            if (size == 0) {
                String t;
                while ((t = line()) != null && !t.isEmpty()) {
                    int colon = t.indexOf(':');
                    trailers.computeIfAbsent(t.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            k -> new ArrayList<>()).add(t.substring(colon + 1).trim());
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            line();
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    /** True when the server closed the connection (read returns end of stream). */
    public boolean isClosedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    public InputStream input() {
        return in;
    }

    public OutputStream output() {
        return out;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** @param trailers the trailer section of a chunked body (names in lower case) */
    public record Response(String statusLine, int status, Map<String, List<String>> headers, byte[] body,
                           Map<String, List<String>> trailers) {

        public Response(String statusLine, int status, Map<String, List<String>> headers, byte[] body) {
            this(statusLine, status, headers, body, Map.of());
        }

        public String trailer(String name) {
            List<String> v = trailers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : v.get(0);
        }

        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : v.get(0);
        }

        public List<String> headerValues(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }
}
