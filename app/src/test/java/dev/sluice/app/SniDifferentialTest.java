package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.proxy.NamedServer;
import dev.sluice.proxy.TrustAll;
import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.ParseResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * SNI routing of a {@code mode tcp} frontend, in Sluice and in a real HAProxy on the same file:
 * each client (TLS with a name, without one, plain text, a ClientHello in pieces) reaches the same
 * backend in both.
 */
class SniDifferentialTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void haproxyIsInstalled() {
        SideBySide.assumeHaproxyInstalled();
    }

    private static final String CONFIG = """
            global
                maxconn 100
            defaults
                mode tcp
                timeout connect 2s
                timeout client 10s
                timeout server 10s
            frontend sni
                bind 127.0.0.1:%d
                tcp-request inspect-delay 2s
                tcp-request content accept if { req_ssl_hello_type 1 }
                acl to_a req_ssl_sni -i a.example
                use_backend a if to_a
                use_backend b if { req.ssl_sni -m end .b.example } || { req.ssl_sni -i b.example }
                default_backend d
            backend a
                server a 127.0.0.1:%d
            backend b
                server b 127.0.0.1:%d
            backend d
                server d 127.0.0.1:%d
            """;

    @Test
    void theSameClientsReachTheSameBackends() throws Exception {
        try (NamedServer a = NamedServer.tls("a.example");
             NamedServer b = NamedServer.tls("b.example");
             NamedServer d = NamedServer.plain("D")) {
            int haproxyPort = freePort();
            int sluicePort = freePort();
            Path haproxyFile = Files.writeString(dir.resolve("haproxy.cfg"),
                    CONFIG.formatted(haproxyPort, a.port(), b.port(), d.port()));
            Path sluiceFile = Files.writeString(dir.resolve("sluice.cfg"),
                    CONFIG.formatted(sluicePort, a.port(), b.port(), d.port()));
            ParseResult parsed = ConfigParser.parse(sluiceFile);
            assertThat(parsed.errors()).isEmpty();
            Map<String, String> haproxy;
            Map<String, String> sluice;
            try (HaproxyProcess h = HaproxyProcess.start(haproxyFile, List.of(haproxyPort))) {
                haproxy = answers(haproxyPort);
            }
            try (Sluice s = Sluice.start(parsed.config())) {
                sluice = answers(sluicePort);
            }
            assertThat(sluice).isEqualTo(haproxy);
            assertThat(haproxy).containsEntry("tls a.example", "a.example:hi").containsEntry("plain", "D:hello");
        }
    }

    /** What each kind of client got back: the backend's name (and the bytes it echoed, for D). */
    private static Map<String, String> answers(int port) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (String sni : new String[] {"a.example", "B.EXAMPLE", "api.b.example", "c.example"}) {
            out.put("tls " + sni, sni.equals("c.example") ? raw(port, clientHello(sni)) : tls(port, sni));
        }
        out.put("no sni", raw(port, clientHello(null)));
        out.put("plain", raw(port, "hello".getBytes(StandardCharsets.US_ASCII)));
        byte[] hello = clientHello("a.example");
        out.put("split hello", raw(port, Arrays.copyOfRange(hello, 0, 3), Arrays.copyOfRange(hello, 3, 50),
                Arrays.copyOfRange(hello, 50, hello.length)));
        return out;
    }

    private static String tls(int port, String sni) throws Exception {
        try (SSLSocket socket = (SSLSocket) TrustAll.context().getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            SSLParameters params = socket.getSSLParameters();
            params.setServerNames(List.of(new SNIHostName(sni)));
            socket.setSSLParameters(params);
            socket.startHandshake();
            socket.getOutputStream().write("hi".getBytes(StandardCharsets.US_ASCII));
            byte[] answer = new byte[64];
            int n = socket.getInputStream().read(answer);
            return new String(answer, 0, n, StandardCharsets.US_ASCII);
        }
    }

    /** D echoes what it got (shown as its length), a TLS server answers with a TLS record. */
    private static String raw(int port, byte[]... parts) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            int sent = 0;
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    Thread.sleep(100);
                }
                out.write(parts[i]);
                out.flush();
                sent += parts[i].length;
            }
            byte[] got = read(socket.getInputStream(), sent + 2);
            if (got.length > 0 && got[0] == 'D') {
                String text = new String(got, StandardCharsets.ISO_8859_1);
                return text.length() < 16 ? text : "D:" + (got.length - 2) + " bytes";
            }
            return got.length == 0 ? "closed" : "TLS record " + got[0];
        }
    }

    private static byte[] read(InputStream in, int expected) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            while (got.size() < expected) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                got.write(buf, 0, n);
                if (got.size() > 0 && got.toByteArray()[0] != 'D') {
                    break; // a TLS server's first record is enough
                }
            }
        } catch (SocketTimeoutException e) {
            // what came so far
        }
        return got.toByteArray();
    }

    private static byte[] clientHello(String sni) throws Exception {
        SSLEngine engine = TrustAll.context().createSSLEngine();
        engine.setUseClientMode(true);
        SSLParameters params = engine.getSSLParameters();
        params.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        engine.setSSLParameters(params);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }

    private static int freePort() throws IOException {
        return SluiceProcess.freePort();
    }
}
