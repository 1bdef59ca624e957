package dev.sluice.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The small HTML answers Sluice gives for its own errors, in HAProxy's words, and the pages of
 * {@code errorfile} (a complete raw HTTP response, parsed once and cached).
 */
final class ErrorResponses {

    private static final Map<Integer, String> MESSAGES = Map.ofEntries(
            Map.entry(400, "Your browser sent an invalid request."),
            Map.entry(401, "You need a valid user and password to access this content."),
            Map.entry(403, "Request forbidden by administrative rules."),
            Map.entry(404, "The requested URL was not found on this server."),
            Map.entry(405, "Method not allowed."),
            Map.entry(407, "You need a valid user and password to access this content."),
            Map.entry(408, "Your browser didn't send a complete request in time."),
            Map.entry(410, "The requested resource is no longer available and will not be available again."),
            Map.entry(413, "The request entity is too large."),
            Map.entry(414, "The request URI is too long."),
            Map.entry(425, "Your browser sent a request in early data."),
            Map.entry(429, "You have sent too many requests in a given amount of time."),
            Map.entry(431, "The request header fields are too large."),
            Map.entry(500, "An internal server error occurred."),
            Map.entry(501, "The server does not support the functionality required to fulfill the request."),
            Map.entry(502, "The server returned an invalid or incomplete response."),
            Map.entry(503, "No server is available to handle this request."),
            Map.entry(504, "The server didn't respond in time."));

    private static final Map<byte[], Parsed> PARSED = new ConcurrentHashMap<>();

    private ErrorResponses() {
    }

    /**
     * A complete response for {@code status}: the {@code errorfile} page when one is configured
     * ({@code raw} not null), else the built-in page. The caller owns the returned message.
     */
    static FullHttpResponse response(ByteBufAllocator alloc, int status, byte[] raw) {
        if (raw != null) {
            Parsed page = PARSED.computeIfAbsent(raw, Parsed::parse);
            if (page != null) {
                return page.toResponse(alloc);
            }
        }
        HttpResponseStatus s = HttpResponseStatus.valueOf(status);
        String message = MESSAGES.getOrDefault(status, s.reasonPhrase());
        String html = "<html><body><h1>" + status + ' ' + s.reasonPhrase() + "</h1>\n" + message
                + "\n</body></html>\n";
        ByteBuf body = alloc.buffer(html.length());
        body.writeCharSequence(html, StandardCharsets.US_ASCII);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, s, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
                .set(HttpHeaderNames.CONTENT_TYPE, "text/html");
        return response;
    }

    /** An errorfile's response: status line, headers and body, as written in the file. */
    private record Parsed(HttpResponseStatus status, String[][] headers, byte[] body) {

        static Parsed parse(byte[] raw) {
            int headEnd = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            int sep = 4;
            if (headEnd < 0) {
                headEnd = indexOf(raw, "\n\n".getBytes(StandardCharsets.US_ASCII));
                sep = 2;
            }
            String head = new String(raw, 0, headEnd < 0 ? raw.length : headEnd, StandardCharsets.ISO_8859_1);
            byte[] body = new byte[0];
            if (headEnd >= 0) {
                body = java.util.Arrays.copyOfRange(raw, headEnd + sep, raw.length);
            }
            String[] lines = head.split("\r?\n");
            String[] statusLine = lines[0].trim().split(" ", 3);
            HttpResponseStatus status;
            try {
                int code = Integer.parseInt(statusLine[1]);
                status = statusLine.length > 2 ? new HttpResponseStatus(code, statusLine[2])
                        : HttpResponseStatus.valueOf(code);
            } catch (RuntimeException e) {
                return null;
            }
            String[][] headers = new String[lines.length - 1][];
            int n = 0;
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers[n++] = new String[] {lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()};
                }
            }
            return new Parsed(status, java.util.Arrays.copyOf(headers, n), body);
        }

        FullHttpResponse toResponse(ByteBufAllocator alloc) {
            ByteBuf content = alloc.buffer(body.length).writeBytes(body);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
            for (String[] h : headers) {
                response.headers().add(h[0], h[1]);
            }
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
            return response;
        }

        private static int indexOf(byte[] data, byte[] needle) {
            outer:
            for (int i = 0; i + needle.length <= data.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (data[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
