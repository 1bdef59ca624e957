package dev.sluice.app;

import dev.sluice.proxy.RawHttpClient;
import dev.sluice.proxy.RawHttpClient.Response;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** One-shot HTTP/1.1 requests to the proxy on 127.0.0.1, each on its own connection, 5 s bound. */
final class Http {

    static final int TIMEOUT_MS = 5_000;

    private Http() {
    }

    /** A GET with {@code Host: test} unless {@code headers} carries a Host line. */
    static Response get(int port, String path, String... headers) throws IOException {
        return request(port, "GET", path, headers);
    }

    static Response request(int port, String method, String path, String... headers) throws IOException {
        try (RawHttpClient c = new RawHttpClient(port, TIMEOUT_MS)) {
            c.send(head(method, path, headers));
            return c.read("HEAD".equals(method));
        }
    }

    /** The head of a request that closes its connection afterwards. */
    static String head(String method, String path, String... headers) {
        StringBuilder sb = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        boolean host = false;
        for (String h : headers) {
            host |= h.toLowerCase(Locale.ROOT).startsWith("host:");
            sb.append(h).append("\r\n");
        }
        if (!host) {
            sb.append("Host: test\r\n");
        }
        return sb.append("Connection: close\r\n\r\n").toString();
    }

    /** The origin that served a GET of {@code path} (its {@code X-Server}), or the status when none did. */
    static String servedBy(int port, String path, String... headers) throws IOException {
        Response r = get(port, path, headers);
        String server = r.header("x-server");
        return server != null ? server : "status " + r.status();
    }

    /**
     * The origin that served a GET of {@code path} sent from the local address {@code source}
     * (any of 127.0.0.0/8 works on loopback), or the status line when none did.
     */
    static String servedByFrom(String source, int port, String path) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
            s.setSoTimeout(TIMEOUT_MS);
            s.getOutputStream().write(head("GET", path).getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            String response = readAll(s.getInputStream());
            for (String line : response.split("\r\n")) {
                if (line.isEmpty()) {
                    break;
                }
                if (line.toLowerCase(Locale.ROOT).startsWith("x-server:")) {
                    return line.substring("x-server:".length()).trim();
                }
            }
            return response.lines().findFirst().orElse("no response");
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
