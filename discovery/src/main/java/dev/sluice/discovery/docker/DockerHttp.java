package dev.sluice.discovery.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.discovery.ControlThreads;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * HTTP/1.1 to the Docker engine over its unix socket or TCP: one connection per request
 * ({@code Connection: close}), blocking, on the discovery's own threads (never an event loop).
 * A plain request that takes longer than its timeout is cut by closing its channel.
 */
final class DockerHttp implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_HEAD = 64 * 1024;
    private static final long MAX_BODY = 64L * 1024 * 1024;

    private final DockerHost host;
    private final long timeoutMillis;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(
            ControlThreads.named("sluice-docker-timeout"));

    /** A response: status and body (the body of a stream is empty). */
    record Response(int status, byte[] body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }

        /** The engine's {@code {"message": ...}}, or the body as text. */
        String message() {
            try {
                JsonNode m = json().get("message");
                if (m != null) {
                    return m.asText();
                }
            } catch (IOException | RuntimeException e) {
                // not JSON: the text itself
            }
            return new String(body, StandardCharsets.UTF_8).trim();
        }
    }

    DockerHttp(DockerHost host, long timeoutMillis) {
        this.host = host;
        this.timeoutMillis = timeoutMillis;
    }

    Response get(String target) throws IOException {
        try (SocketChannel ch = open()) {
            ScheduledFuture<?> cut = watchdog.schedule(() -> closeQuietly(ch), timeoutMillis, TimeUnit.MILLISECONDS);
            try {
                InputStream in = request(ch, target);
                Head head = Head.read(in);
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                head.body(in, body::writeBytes);
                return new Response(head.status, body.toByteArray());
            } catch (IOException e) {
                if (cut.isDone()) {
                    throw new IOException("no answer from the Docker engine at " + host + " within " + timeoutMillis
                            + " ms (GET " + target + ")", e);
                }
                throw e;
            } finally {
                cut.cancel(false);
            }
        }
    }

    /**
     * Follows a streaming answer ({@code /events}): calls {@code onLine} with each line of the
     * body until the engine ends it, {@code stop} closes the channel, or the connection fails.
     * Returns the status when it is not 200 (with the body read), else when the stream ends.
     */
    Response stream(String target, Consumer<String> onLine, Consumer<AutoCloseable> stop) throws IOException {
        try (SocketChannel ch = open()) {
            stop.accept(ch);
            InputStream in = request(ch, target);
            Head head = Head.read(in);
            if (head.status != 200) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                head.body(in, body::writeBytes);
                return new Response(head.status, body.toByteArray());
            }
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            head.body(in, bytes -> {
                for (byte b : bytes) {
                    if (b == '\n') {
                        String l = line.toString(StandardCharsets.UTF_8).trim();
                        line.reset();
                        if (!l.isEmpty()) {
                            onLine.accept(l);
                        }
                    } else if (line.size() < MAX_HEAD) {
                        line.write(b);
                    }
                }
            });
            return new Response(200, new byte[0]);
        }
    }

    private SocketChannel open() throws IOException {
        SocketAddress address = host.address();
        if (address instanceof UnixDomainSocketAddress) {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(address);
            } catch (IOException e) {
                ch.close();
                throw new IOException("cannot connect to the Docker engine at " + host + " (" + e.getMessage()
                        + "; is the socket mounted?)", e);
            }
            return ch;
        }
        InetSocketAddress unresolved = (InetSocketAddress) address;
        SocketChannel ch = SocketChannel.open();
        try {
            ch.socket().connect(new InetSocketAddress(unresolved.getHostString(), unresolved.getPort()),
                    (int) Math.min(timeoutMillis, Integer.MAX_VALUE));
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot connect to the Docker engine at " + host + " (" + e.getMessage() + ")", e);
        }
        return ch;
    }

    private static InputStream request(SocketChannel ch, String target) throws IOException {
        OutputStream out = Channels.newOutputStream(ch);
        out.write(("GET " + target + " HTTP/1.1\r\nHost: docker\r\nUser-Agent: sluice\r\nAccept: application/json\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return new java.io.BufferedInputStream(Channels.newInputStream(ch), 16 * 1024);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // already closed
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }

    /** A response head, and how its body is framed. */
    private static final class Head {
        final int status;
        final long contentLength;
        final boolean chunked;

        private Head(int status, long contentLength, boolean chunked) {
            this.status = status;
            this.contentLength = contentLength;
            this.chunked = chunked;
        }

        static Head read(InputStream in) throws IOException {
            String statusLine = line(in);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP answer from the Docker engine: " + statusLine);
            }
            int status;
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IOException("not an HTTP status from the Docker engine: " + statusLine, e);
            }
            long length = -1;
            boolean chunked = false;
            int total = statusLine.length();
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                total += h.length();
                if (total > MAX_HEAD) {
                    throw new IOException("the Docker engine's answer head is over " + MAX_HEAD + " bytes");
                }
                int colon = h.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim();
                if (name.equals("content-length")) {
                    length = Long.parseLong(value);
                } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                    chunked = true;
                }
            }
            return new Head(status, length, chunked);
        }

        void body(InputStream in, Consumer<byte[]> sink) throws IOException {
            if (chunked) {
                long total = 0;
                while (true) {
                    String size = line(in);
                    int semi = size.indexOf(';');
                    long n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                    if (n == 0) {
                        while (!line(in).isEmpty()) {
                            // trailers
                        }
                        return;
                    }
                    total += n;
                    if (total > MAX_BODY) {
                        throw new IOException("the Docker engine's answer is over " + MAX_BODY + " bytes");
                    }
                    sink.accept(in.readNBytes((int) n));
                    line(in);
                }
            }
            if (contentLength >= 0) {
                if (contentLength > MAX_BODY) {
                    throw new IOException("the Docker engine's answer is over " + MAX_BODY + " bytes");
                }
                byte[] b = in.readNBytes((int) contentLength);
                if (b.length < contentLength) {
                    throw new IOException("the Docker engine closed the connection in the middle of an answer");
                }
                sink.accept(b);
                return;
            }
            byte[] buf = new byte[8192];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                sink.accept(java.util.Arrays.copyOf(buf, n));
            }
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("the Docker engine closed the connection");
                }
                if (sb.length() > MAX_HEAD) {
                    throw new IOException("a line of the Docker engine's answer is over " + MAX_HEAD + " bytes");
                }
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }
    }
}
