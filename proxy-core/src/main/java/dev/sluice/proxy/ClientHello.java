package dev.sluice.proxy;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * What the first TLS record a client sent says, read without deciphering anything, as HAProxy's
 * {@code req.ssl_hello_type} and {@code req.ssl_sni} read it: the record must be complete, and
 * the server name is looked for inside that record only. Never changes the buffer it reads.
 *
 * @param state {@link State#PENDING} until the record is complete or refuted
 * @param type  the handshake type ({@code 1}: ClientHello), or {@code -1}
 * @param sni   the first host name of the server_name extension, as sent, or {@code null}
 */
record ClientHello(State state, int type, String sni) {

    enum State { PENDING, NOT_TLS, COMPLETE }

    static final ClientHello PENDING = new ClientHello(State.PENDING, -1, null);
    static final ClientHello NOT_TLS = new ClientHello(State.NOT_TLS, -1, null);

    private static final int HANDSHAKE = 22;
    private static final int CLIENT_HELLO = 1;
    private static final int SERVER_NAME = 0;

    /** Reads the readable bytes of {@code buf} (from its reader index). */
    static ClientHello parse(ByteBuf buf) {
        int at = buf.readerIndex();
        int n = buf.readableBytes();
        if (n < 1) {
            return PENDING;
        }
        if (buf.getUnsignedByte(at) != HANDSHAKE) {
            return NOT_TLS;
        }
        if (n < 2) {
            return PENDING;
        }
        if (buf.getUnsignedByte(at + 1) != 3) {
            return NOT_TLS; // SSLv3 and TLS records only
        }
        if (n < 5) {
            return PENDING;
        }
        int length = buf.getUnsignedShort(at + 3);
        if (length < 4) {
            return NOT_TLS; // too short for a handshake message header
        }
        if (n < 5 + length) {
            return PENDING;
        }
        int type = buf.getUnsignedByte(at + 5);
        String sni = type == CLIENT_HELLO ? serverName(buf, at + 5, at + 5 + length) : null;
        return new ClientHello(State.COMPLETE, type, sni);
    }

    /** The host name of a ClientHello that starts at {@code from}, looked for before {@code end}. */
    private static String serverName(ByteBuf buf, int from, int end) {
        int messageEnd = Math.min(end, from + 4 + buf.getUnsignedMedium(from + 1));
        int p = from + 4 + 2 + 32; // handshake header, client_version, random
        p = skip(buf, p, messageEnd, 1); // session_id
        p = skip(buf, p, messageEnd, 2); // cipher_suites
        p = skip(buf, p, messageEnd, 1); // compression_methods
        if (p < 0 || p + 2 > messageEnd) {
            return null;
        }
        int extensionsEnd = Math.min(messageEnd, p + 2 + buf.getUnsignedShort(p));
        p += 2;
        while (p + 4 <= extensionsEnd) {
            int type = buf.getUnsignedShort(p);
            int length = buf.getUnsignedShort(p + 2);
            p += 4;
            if (type == SERVER_NAME) {
                return hostName(buf, p, Math.min(extensionsEnd, p + length));
            }
            p += length;
        }
        return null;
    }

    /** The first host_name entry of a server_name list at {@code p}. */
    private static String hostName(ByteBuf buf, int p, int end) {
        if (p + 2 > end) {
            return null;
        }
        int listEnd = Math.min(end, p + 2 + buf.getUnsignedShort(p));
        p += 2;
        while (p + 3 <= listEnd) {
            int nameType = buf.getUnsignedByte(p);
            int length = buf.getUnsignedShort(p + 1);
            p += 3;
            if (p + length > listEnd) {
                return null;
            }
            if (nameType == 0 && length > 0) {
                return buf.toString(p, length, StandardCharsets.US_ASCII);
            }
            p += length;
        }
        return null;
    }

    /** Skips a vector with a {@code lengthBytes} length prefix; -1 when it runs past {@code end}. */
    private static int skip(ByteBuf buf, int p, int end, int lengthBytes) {
        if (p < 0 || p + lengthBytes > end) {
            return -1;
        }
        int length = lengthBytes == 1 ? buf.getUnsignedByte(p) : buf.getUnsignedShort(p);
        int next = p + lengthBytes + length;
        return next > end ? -1 : next;
    }
}
