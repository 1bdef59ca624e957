package dev.sluice.proxy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small authoritative DNS server over UDP on 127.0.0.1 for tests: it answers A queries with the
 * IPv4 addresses the test set for a name ({@link #answer}), NOERROR with no records for other
 * types of a known name, and NXDOMAIN for an unknown one. Answers can be changed at any time.
 */
public final class TestDnsServer implements AutoCloseable {

    private final DatagramSocket socket;
    private final Map<String, List<String>> records = new ConcurrentHashMap<>();
    private final AtomicInteger queries = new AtomicInteger();
    private final Thread thread;
    private volatile int ttlSeconds = 1;

    private TestDnsServer() throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        thread = new Thread(this::serve, "test-dns");
        thread.setDaemon(true);
        thread.start();
    }

    public static TestDnsServer start() {
        try {
            return new TestDnsServer();
        } catch (SocketException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where to send queries. */
    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** From now on {@code name} answers {@code ipv4s} (none: the name exists without addresses). */
    public void answer(String name, String... ipv4s) {
        records.put(normalize(name), List.of(ipv4s));
    }

    /** From now on {@code name} does not exist (NXDOMAIN). */
    public void remove(String name) {
        records.remove(normalize(name));
    }

    public void ttl(int seconds) {
        ttlSeconds = seconds;
    }

    /** Queries received so far. */
    public int queries() {
        return queries.get();
    }

    private static String normalize(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    private void serve() {
        byte[] buf = new byte[512];
        while (!socket.isClosed()) {
            DatagramPacket in = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(in);
                byte[] out = reply(ByteBuffer.wrap(in.getData(), 0, in.getLength()));
                if (out != null) {
                    socket.send(new DatagramPacket(out, out.length, in.getSocketAddress()));
                }
            } catch (IOException | RuntimeException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    private byte[] reply(ByteBuffer q) {
        queries.incrementAndGet();
        int id = q.getShort() & 0xffff;
        int flags = q.getShort() & 0xffff;
        int qdcount = q.getShort() & 0xffff;
        q.position(12);
        if (qdcount != 1) {
            return null;
        }
        int questionStart = q.position();
        StringBuilder name = new StringBuilder();
        int len;
        while ((len = q.get() & 0xff) != 0) {
            if (name.length() > 0) {
                name.append('.');
            }
            byte[] label = new byte[len];
            q.get(label);
            name.append(new String(label, StandardCharsets.US_ASCII));
        }
        int type = q.getShort() & 0xffff;
        q.getShort(); // class
        int questionEnd = q.position();
        List<String> answers = records.get(normalize(name.toString()));
        List<String> a = answers == null || type != 1 ? List.of() : answers;
        ByteBuffer out = ByteBuffer.allocate(512);
        out.putShort((short) id);
        int rcode = answers == null ? 3 : 0;
        out.putShort((short) (0x8000 | 0x0400 | (flags & 0x0100) | rcode)); // response, authoritative, RD echoed
        out.putShort((short) 1);
        out.putShort((short) a.size());
        out.putShort((short) 0);
        out.putShort((short) 0);
        out.put(q.array(), q.arrayOffset() + questionStart, questionEnd - questionStart);
        for (String ip : a) {
            out.putShort((short) 0xc00c); // pointer to the question's name
            out.putShort((short) 1);
            out.putShort((short) 1);
            out.putInt(ttlSeconds);
            out.putShort((short) 4);
            try {
                out.put(InetAddress.getByName(ip).getAddress());
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException(ip, e);
            }
        }
        byte[] bytes = new byte[out.position()];
        out.flip();
        out.get(bytes);
        return bytes;
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
