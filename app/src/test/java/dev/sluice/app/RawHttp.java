package dev.sluice.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately raw HTTP/1.1 client: the request goes out byte for byte as written in the
 * example (several Host or X-Forwarded-For lines, any method), redirects are never followed,
 * and every read is bounded, so a proxy that hangs costs at most {@link #TIMEOUT_MS}.
 */
final class RawHttp {

    static final int TIMEOUT_MS = 5_000;

    private RawHttp() {
    }

    /** The answer, or an answer with status -1 and the failure in {@code error}. */
    static RawResponse send(InetSocketAddress proxy, ExampleRequest request) {
        long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000L;
        try (Socket socket = new Socket()) {
            if (request.source() != null) {
                socket.bind(new InetSocketAddress(request.source(), 0));
            }
            socket.connect(proxy, TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(head(request).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            byte[] raw = readUntilClosed(socket.getInputStream(), deadline);
            return RawResponse.parse(raw, request.method().equals("HEAD"));
        } catch (IOException | RuntimeException e) {
            return RawResponse.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static String head(ExampleRequest request) {
        StringBuilder head = new StringBuilder();
        head.append(request.method()).append(' ').append(request.target()).append(" HTTP/1.1\r\n");
        if (!request.hasHeader("Host")) {
            head.append("Host: localhost\r\n");
        }
        for (Map.Entry<String, String> header : request.headers()) {
            head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        // One request per connection: the answer ends when the proxy closes.
        head.append("Connection: close\r\n\r\n");
        return head.toString();
    }

    private static byte[] readUntilClosed(InputStream in, long deadline) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (true) {
            if (System.nanoTime() > deadline) {
                throw new SocketTimeoutException("no end of answer within " + TIMEOUT_MS + " ms");
            }
            int n = in.read(buffer);
            if (n < 0) {
                return bytes.toByteArray();
            }
            bytes.write(buffer, 0, n);
        }
    }

    /** A parsed answer; header names are lower case, values of repeated headers joined with ", ". */
    record RawResponse(int status, List<Map.Entry<String, String>> headers, String body, String error) {

        static RawResponse failed(String error) {
            return new RawResponse(-1, List.of(), "", error);
        }

        static RawResponse parse(byte[] raw, boolean head) {
            String text = new String(raw, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end < 0) {
                return failed("no complete response head in " + raw.length + " bytes: " + abbreviate(text));
            }
            String[] lines = text.substring(0, end).split("\r\n");
            String[] statusLine = lines[0].split(" ", 3);
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
                return failed("bad status line: " + abbreviate(lines[0]));
            }
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.add(Map.entry(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                                          lines[i].substring(colon + 1).trim()));
                }
            }
            String rest = head ? "" : text.substring(end + 4);
            String body = rest;
            String transferEncoding = header(headers, "transfer-encoding");
            String contentLength = header(headers, "content-length");
            if (transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked")) {
                body = dechunk(rest);
            } else if (contentLength != null && !head) {
                int length = Integer.parseInt(contentLength.trim());
                body = rest.substring(0, Math.min(length, rest.length()));
            }
            return new RawResponse(Integer.parseInt(statusLine[1]), List.copyOf(headers),
                                   new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8),
                                   null);
        }

        /** All values of {@code name} joined with ", " (the HTTP meaning of repeated lines), or null. */
        String header(String name) {
            return header(headers, name);
        }

        private static String header(List<Map.Entry<String, String>> headers, String name) {
            List<String> values = new ArrayList<>();
            for (Map.Entry<String, String> header : headers) {
                if (header.getKey().equals(name)) {
                    values.add(header.getValue());
                }
            }
            return values.isEmpty() ? null : String.join(", ", values);
        }

        private static String dechunk(String chunked) {
            StringBuilder body = new StringBuilder();
            int at = 0;
            while (at < chunked.length()) {
                int lineEnd = chunked.indexOf("\r\n", at);
                if (lineEnd < 0) {
                    break;
                }
                String sizeField = chunked.substring(at, lineEnd);
                int semicolon = sizeField.indexOf(';');
                int size = Integer.parseInt((semicolon < 0 ? sizeField : sizeField.substring(0, semicolon)).trim(), 16);
                if (size == 0) {
                    break;
                }
                int start = lineEnd + 2;
                body.append(chunked, start, Math.min(start + size, chunked.length()));
                at = start + size + 2;
            }
            return body.toString();
        }

        private static String abbreviate(String text) {
            return text.length() <= 200 ? text : text.substring(0, 200) + "...";
        }
    }
}
