package dev.sluice.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.util.concurrent.FastThreadLocal;

import java.nio.charset.StandardCharsets;

/**
 * A final response read whole from an origin in one read (its head and its whole
 * {@code Content-Length} body) that goes to the client as the bytes it came in, less its
 * hop-by-hop header lines: no header map is built and nothing is encoded again. Only a plain
 * head qualifies ({@link #read}): {@code HTTP/1.1}, a status from 200 to 599 other than 204 and
 * 304, one {@code Content-Length}, no {@code Transfer-Encoding}, {@code Connection} naming only
 * {@code keep-alive} or {@code close}, every name a token and every value free of control bytes,
 * lines ending in CRLF, no folded lines. Anything else is left to Netty's decoder, which takes it
 * as before. {@link OriginConnectionCodec} reads one only when the exchange said the head would
 * pass to its client unchanged (no response rules, no persistence cookie, an HTTP/1.1 client on
 * an HTTP/1 connection).
 *
 * <p>Its content is the response's bytes; {@link #forClient} makes what the client's encoder
 * writes ({@link ClientConnectionCodec}).
 */
final class RawResponse extends DefaultByteBufHolder {

    /** The longest head read here; a longer one goes through Netty's decoder. */
    static final int MAX_HEAD = 4096;
    /** A body up to this many bytes is copied after the rewritten head, into one buffer. */
    private static final int COPY_BODY = 4096;
    /** Dropped lines are kept as 16-bit offset pairs in one long (heads are at most 4 KB). */
    private static final int MAX_DROPPED_LINES = 2;
    private static final byte[] VERSION = "HTTP/1.1 ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONNECTION_CLOSE = "Connection: close\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final boolean[] TOKEN = tokenBytes();
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[MAX_HEAD];
        }
    };

    private static final int OTHER = 0;
    private static final int CONTENT_LENGTH = 1;
    private static final int TRANSFER_ENCODING = 2;
    private static final int CONNECTION = 3;
    private static final int HOP_BY_HOP = 4;

    private final int status;
    private final int connectionSaid;
    private final int headLength;
    private final long contentLength;
    /**
     * The header lines the client does not get: line {@code i}'s start offset in bits
     * {@code 32i..32i+15}, its end in bits {@code 32i+16..32i+31}.
     */
    private final long dropped;
    private final int drops;
    /** With {@link #forClient}'s result: the body after its head, or null when in the content. */
    private final ByteBuf body;

    private RawResponse(ByteBuf content, int status, int connectionSaid, int headLength, long contentLength,
                        long dropped, int drops, ByteBuf body) {
        super(content);
        this.status = status;
        this.connectionSaid = connectionSaid;
        this.headLength = headLength;
        this.contentLength = contentLength;
        this.dropped = dropped;
        this.drops = drops;
        this.body = body;
    }

    /** The status code. */
    int status() {
        return status;
    }

    /** Which of {@link HopByHop#CLOSE} and {@link HopByHop#KEEP_ALIVE} its {@code Connection} header named. */
    int connectionSaid() {
        return connectionSaid;
    }

    /** The body's length in bytes. */
    long contentLength() {
        return contentLength;
    }

    /** For the client's encoder: the body written after {@link #content()}, or null. */
    ByteBuf body() {
        return body;
    }

    /**
     * Reads a plain whole response from {@code in}'s readable bytes and advances past it, or
     * returns null and leaves {@code in} as it was.
     */
    static RawResponse read(ByteBuf in) {
        int readable = in.readableBytes();
        int n = Math.min(readable, MAX_HEAD);
        if (n < 16) {
            return null;
        }
        byte[] a = SCRATCH.get();
        in.getBytes(in.readerIndex(), a, 0, n);
        for (int i = 0; i < VERSION.length; i++) {
            if (a[i] != VERSION[i]) {
                return null;
            }
        }
        int d0 = a[9] - '0';
        int d1 = a[10] - '0';
        int d2 = a[11] - '0';
        if (d0 < 2 || d0 > 5 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) {
            return null;
        }
        int status = d0 * 100 + d1 * 10 + d2;
        if (status == 204 || status == 304) {
            return null;
        }
        int p = 12;
        if (a[p] == ' ') {
            p++;
            while (p < n && a[p] != '\r') {
                if (!fieldByte(a[p])) {
                    return null;
                }
                p++;
            }
        }
        if (p + 1 >= n || a[p] != '\r' || a[p + 1] != '\n') {
            return null;
        }
        p += 2;
        long length = -1;
        int said = 0;
        long dropped = 0;
        int drops = 0;
        while (true) {
            if (p + 1 >= n) {
                return null;
            }
            if (a[p] == '\r') {
                if (a[p + 1] != '\n') {
                    return null;
                }
                p += 2;
                break;
            }
            int lineStart = p;
            while (p < n && TOKEN[a[p] & 0xff]) {
                p++;
            }
            if (p >= n || a[p] != ':' || p == lineStart) {
                return null; // a folded line, a space before the colon, a byte no name has
            }
            int kind = kind(a, lineStart, p - lineStart);
            p++;
            while (p < n && (a[p] == ' ' || a[p] == '\t')) {
                p++;
            }
            int valueStart = p;
            while (p < n && a[p] != '\r') {
                if (!fieldByte(a[p])) {
                    return null;
                }
                p++;
            }
            if (p + 1 >= n || a[p + 1] != '\n') {
                return null;
            }
            int valueEnd = p;
            while (valueEnd > valueStart && (a[valueEnd - 1] == ' ' || a[valueEnd - 1] == '\t')) {
                valueEnd--;
            }
            p += 2;
            if (kind == CONTENT_LENGTH) {
                if (length >= 0) {
                    return null;
                }
                length = digits(a, valueStart, valueEnd);
                if (length < 0) {
                    return null;
                }
            } else if (kind == TRANSFER_ENCODING) {
                return null;
            } else if (kind == CONNECTION || kind == HOP_BY_HOP) {
                if (kind == CONNECTION) {
                    int s = connectionTokens(a, valueStart, valueEnd);
                    if (s < 0) {
                        return null;
                    }
                    said |= s;
                }
                if (drops == MAX_DROPPED_LINES) {
                    return null;
                }
                dropped |= ((long) lineStart | (long) p << 16) << (32 * drops);
                drops++;
            }
        }
        if (length < 0 || p + length > readable) {
            return null;
        }
        ByteBuf bytes = in.readRetainedSlice(p + (int) length);
        return new RawResponse(bytes, status, said, p, length, dropped, drops, null);
    }

    /**
     * What the client gets: the same bytes less the dropped lines, and with
     * {@code Connection: close} when the client connection ends after it ({@code close}). This
     * message is released (its bytes move to the result).
     */
    RawResponse forClient(ByteBufAllocator alloc, boolean close) {
        ByteBuf in = content();
        if (drops == 0 && !close) {
            return this;
        }
        int keptHead = headLength;
        for (int i = 0; i < drops; i++) {
            keptHead -= droppedEnd(i) - droppedStart(i);
        }
        int headOut = keptHead + (close ? CONNECTION_CLOSE.length : 0);
        boolean copyBody = contentLength <= COPY_BODY;
        ByteBuf out = alloc.directBuffer(headOut + (copyBody ? (int) contentLength : 0));
        int from = in.readerIndex();
        int at = from;
        for (int i = 0; i < drops; i++) {
            out.writeBytes(in, at, from + droppedStart(i) - at);
            at = from + droppedEnd(i);
        }
        // up to the empty line that ends the head, which Connection: close goes before
        int headEnd = from + headLength - 2;
        out.writeBytes(in, at, headEnd - at);
        if (close) {
            out.writeBytes(CONNECTION_CLOSE);
        }
        out.writeByte('\r').writeByte('\n');
        ByteBuf after = null;
        if (copyBody) {
            out.writeBytes(in, from + headLength, (int) contentLength);
        } else {
            after = in.retainedSlice(from + headLength, (int) contentLength);
        }
        RawResponse result = new RawResponse(out, status, connectionSaid, headOut, contentLength, 0, 0, after);
        release();
        return result;
    }

    private int droppedStart(int i) {
        return (int) (dropped >>> (32 * i)) & 0xffff;
    }

    private int droppedEnd(int i) {
        return (int) (dropped >>> (32 * i + 16)) & 0xffff;
    }

    @Override
    public boolean release() {
        return release(1);
    }

    @Override
    public boolean release(int decrement) {
        if (body != null) {
            body.release(decrement);
        }
        return super.release(decrement);
    }

    private static int kind(byte[] a, int start, int length) {
        return switch (length) {
            case 7 -> is(a, start, "trailer") || is(a, start, "upgrade") ? HOP_BY_HOP : OTHER;
            case 10 -> is(a, start, "connection") ? CONNECTION : is(a, start, "keep-alive") ? HOP_BY_HOP : OTHER;
            case 14 -> is(a, start, "content-length") ? CONTENT_LENGTH : OTHER;
            case 16 -> is(a, start, "proxy-connection") ? HOP_BY_HOP : OTHER;
            case 17 -> is(a, start, "transfer-encoding") ? TRANSFER_ENCODING : OTHER;
            default -> OTHER;
        };
    }

    /** Whether the bytes at {@code start} are {@code lower} in any case (token bytes only: letters and '-'). */
    private static boolean is(byte[] a, int start, String lower) {
        for (int i = 0; i < lower.length(); i++) {
            if ((a[start + i] | 0x20) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** {@code keep-alive} and {@code close} as HopByHop's flags; -1 for any other token. */
    private static int connectionTokens(byte[] a, int start, int end) {
        int said = 0;
        int p = start;
        while (p < end) {
            while (p < end && (a[p] == ' ' || a[p] == '\t' || a[p] == ',')) {
                p++;
            }
            int tokenStart = p;
            while (p < end && a[p] != ',' && a[p] != ' ' && a[p] != '\t') {
                p++;
            }
            int length = p - tokenStart;
            if (length == 0) {
                continue;
            }
            if (length == 5 && is(a, tokenStart, "close")) {
                said |= HopByHop.CLOSE;
            } else if (length == 10 && is(a, tokenStart, "keep-alive")) {
                said |= HopByHop.KEEP_ALIVE;
            } else {
                return -1;
            }
            while (p < end && (a[p] == ' ' || a[p] == '\t')) {
                p++;
            }
            if (p < end && a[p] != ',') {
                return -1;
            }
        }
        return said;
    }

    /** The value as a decimal number of at most 18 digits, or -1. */
    private static long digits(byte[] a, int start, int end) {
        if (start == end || end - start > 18) {
            return -1;
        }
        long value = 0;
        for (int i = start; i < end; i++) {
            int d = a[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }

    /** A byte a field value or reason phrase may hold (RFC 9110 section 5.5): no control byte but HT. */
    private static boolean fieldByte(byte b) {
        return b == '\t' || (b >= 0x20 && b != 0x7f) || b < 0;
    }

    private static boolean[] tokenBytes() {
        boolean[] token = new boolean[256];
        for (int c = '0'; c <= '9'; c++) {
            token[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            token[c] = true;
            token[c - 'a' + 'A'] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            token[c] = true;
        }
        return token;
    }
}
