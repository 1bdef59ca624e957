package dev.sluice.benchmarks.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Frames HTTP/1.1 responses on a keep-alive connection and hands each complete one to a
 * {@link Listener}: the status line, the headers (only Content-Length and Transfer-Encoding
 * matter), then the body, skipped, by Content-Length or chunked encoding. It allocates nothing per
 * response (a load client's garbage collections would show up as latency) and passes nothing down
 * the pipeline. The cumulation buffer belongs to {@link ByteToMessageDecoder}, which releases it;
 * this class only moves its reader index.
 *
 * <p>A response it cannot frame (no length, a malformed line) is reported once with
 * {@link Listener#onBadResponse}; the connection is then closed and the rest of its input ignored.
 */
final class ResponseParser extends ByteToMessageDecoder {

    interface Listener {
        /** A whole response has been read: its status and the number of body bytes. */
        void onResponse(int status, long bodyBytes);

        /** The response could not be framed; the connection is closed right after. */
        void onBadResponse(String reason);
    }

    /** Longest status, header or chunk-size line accepted. */
    static final int MAX_LINE = 16 * 1024;

    private static final byte[] CONTENT_LENGTH = bytes("content-length");
    private static final byte[] TRANSFER_ENCODING = bytes("transfer-encoding");
    private static final byte[] CHUNKED = bytes("chunked");

    private enum State { STATUS, HEADERS, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, FAILED }

    private final Listener listener;
    private State state = State.STATUS;
    private int status;
    private long contentLength;
    private boolean chunked;
    private long remaining;
    private long bodyBytes;

    ResponseParser(Listener listener) {
        this.listener = listener;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            if (state == State.FAILED) {
                in.skipBytes(in.readableBytes());
                return;
            }
            if (state == State.BODY || state == State.CHUNK_DATA) {
                skipBody(in);
                continue;
            }
            int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
            if (lf < 0) {
                if (in.readableBytes() > MAX_LINE) {
                    fail(ctx, in, "a line longer than " + MAX_LINE + " bytes");
                }
                return;
            }
            int start = in.readerIndex();
            int end = lf > start && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
            String error = line(in, start, end);
            in.readerIndex(lf + 1);
            if (error != null) {
                fail(ctx, in, error);
                return;
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    /** One line of the current state, between start and end (CRLF excluded); null or an error. */
    private String line(ByteBuf in, int start, int end) {
        switch (state) {
            case STATUS:
                return statusLine(in, start, end);
            case HEADERS:
                if (end == start) {
                    return headersDone();
                }
                return header(in, start, end);
            case CHUNK_SIZE:
                return chunkSize(in, start, end);
            case CHUNK_END:
                if (end != start) {
                    return "chunk data longer than its size";
                }
                state = State.CHUNK_SIZE;
                return null;
            case TRAILERS:
                if (end == start) {
                    complete();
                }
                return null;
            default:
                throw new IllegalStateException("no line expected in state " + state);
        }
    }

    private String statusLine(ByteBuf in, int start, int end) {
        // "HTTP/1.1 200 OK": the status is the three digits after the first space.
        if (end - start < 12 || in.getByte(start) != 'H' || in.getByte(start + 4) != '/'
                || in.getByte(start + 8) != ' ') {
            return "status line of " + (end - start) + " bytes is not 'HTTP/1.x NNN ...'";
        }
        int code = 0;
        for (int i = start + 9; i < start + 12; i++) {
            byte b = in.getByte(i);
            if (b < '0' || b > '9') {
                return "status code is not three digits";
            }
            code = code * 10 + (b - '0');
        }
        status = code;
        contentLength = -1;
        chunked = false;
        bodyBytes = 0;
        state = State.HEADERS;
        return null;
    }

    private String header(ByteBuf in, int start, int end) {
        int colon = in.indexOf(start, end, (byte) ':');
        if (colon < 0) {
            return "header line without ':'";
        }
        int valueStart = skipSpaces(in, colon + 1, end);
        int valueEnd = end;
        while (valueEnd > valueStart && isSpace(in.getByte(valueEnd - 1))) {
            valueEnd--;
        }
        if (equalsIgnoreCase(in, start, colon, CONTENT_LENGTH)) {
            long length = 0;
            if (valueStart == valueEnd || valueEnd - valueStart > 18) {
                return "Content-Length is not a number";
            }
            for (int i = valueStart; i < valueEnd; i++) {
                byte b = in.getByte(i);
                if (b < '0' || b > '9') {
                    return "Content-Length is not a number";
                }
                length = length * 10 + (b - '0');
            }
            contentLength = length;
        } else if (equalsIgnoreCase(in, start, colon, TRANSFER_ENCODING)) {
            // Chunked is the last coding when it is present at all (RFC 9112, 6.1).
            chunked = valueEnd - valueStart >= CHUNKED.length
                    && equalsIgnoreCase(in, valueEnd - CHUNKED.length, valueEnd, CHUNKED);
        }
        return null;
    }

    private String headersDone() {
        if (status >= 100 && status < 200 && status != 101) {
            state = State.STATUS; // an interim response: the real one follows
            return null;
        }
        if (status == 204 || status == 304 || !chunked && contentLength == 0) {
            complete();
        } else if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (contentLength >= 0) {
            remaining = contentLength;
            state = State.BODY;
        } else {
            return "status " + status + " without Content-Length or chunked encoding"
                    + " (expected a keep-alive response; the body would end at close)";
        }
        return null;
    }

    private String chunkSize(ByteBuf in, int start, int end) {
        long size = 0;
        int digits = 0;
        for (int i = start; i < end; i++) {
            byte b = in.getByte(i);
            int d = Character.digit(b, 16);
            if (d < 0) {
                if (b == ';' || isSpace(b)) {
                    break; // a chunk extension
                }
                return "chunk size is not hexadecimal";
            }
            if (++digits > 15) {
                return "chunk size too large";
            }
            size = size * 16 + d;
        }
        if (digits == 0) {
            return "empty chunk size";
        }
        if (size == 0) {
            state = State.TRAILERS;
        } else {
            remaining = size;
            state = State.CHUNK_DATA;
        }
        return null;
    }

    private void skipBody(ByteBuf in) {
        int n = (int) Math.min(remaining, in.readableBytes());
        in.skipBytes(n);
        remaining -= n;
        bodyBytes += n;
        if (remaining > 0) {
            return;
        }
        if (state == State.CHUNK_DATA) {
            state = State.CHUNK_END;
        } else {
            complete();
        }
    }

    private void complete() {
        state = State.STATUS;
        listener.onResponse(status, bodyBytes);
    }

    private void fail(ChannelHandlerContext ctx, ByteBuf in, String reason) {
        state = State.FAILED;
        in.skipBytes(in.readableBytes());
        listener.onBadResponse(reason);
        ctx.close();
    }

    private static int skipSpaces(ByteBuf in, int from, int end) {
        while (from < end && isSpace(in.getByte(from))) {
            from++;
        }
        return from;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t';
    }

    /** Whether in[start, end) is the lower-case ASCII {@code expected}, ignoring case. */
    private static boolean equalsIgnoreCase(ByteBuf in, int start, int end, byte[] expected) {
        if (end - start != expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            byte b = in.getByte(start + i);
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] bytes(String ascii) {
        return ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
