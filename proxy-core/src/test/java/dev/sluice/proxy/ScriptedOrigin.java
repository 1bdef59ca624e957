package dev.sluice.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An origin that answers exact bytes, one thread per connection (at most 16 connections). */
final class ScriptedOrigin implements AutoCloseable {

    interface Script {
        void run(Conn conn, int index) throws IOException;
    }

    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    /**
     * An origin that keeps each connection open and answers every request head with the exact
     * bytes {@code answer} gives for it, until the client closes.
     */
    static ScriptedOrigin answering(java.util.function.Function<String, String> answer) throws IOException {
        return new ScriptedOrigin((conn, i) -> {
            String head;
            while ((head = conn.readHead()) != null) {
                conn.write(answer.apply(head));
            }
        });
    }

    ScriptedOrigin(Script script) throws IOException {
        server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            for (int i = 0; i < 16; i++) {
                Socket s;
                try {
                    s = server.accept();
                    s.setSoTimeout(10_000);
                } catch (IOException e) {
                    return;
                }
                sockets.add(s);
                int index = i;
                Thread t = new Thread(() -> {
                    try (s) {
                        script.run(new Conn(s), index);
                    } catch (IOException ignored) {
                        // the proxy closed the connection
                    }
                });
                t.setDaemon(true);
                t.start();
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    int connections() {
        return sockets.size();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}

final class Conn {
    private final InputStream in;
    private final OutputStream out;

    Conn(Socket s) throws IOException {
        this.in = s.getInputStream();
        this.out = s.getOutputStream();
    }

    /** The next request head, or null at the end of the connection. */
    String readHead() throws IOException {
        String head = ScriptedOriginTest.readUntil(in, "\r\n\r\n");
        return head.isEmpty() ? null : head;
    }

    /** Exactly {@code n} bytes (a request body), as ISO-8859-1 text. */
    String read(int n) throws IOException {
        return new String(in.readNBytes(n), StandardCharsets.ISO_8859_1);
    }

    void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads and drops everything until the peer closes (or 10 s pass without data). */
    void drain() throws IOException {
        byte[] buf = new byte[65536];
        for (int i = 0; i < 100_000 && in.read(buf) >= 0; i++) {
            // discard
        }
    }
}
