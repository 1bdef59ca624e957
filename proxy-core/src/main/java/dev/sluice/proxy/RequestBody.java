package dev.sluice.proxy;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;

import java.util.ArrayDeque;

/**
 * The request body of one exchange as it passes: whether there is one, whether its end was seen,
 * the chunks that arrived while the origin connection was still opening, and whether the client
 * may send more. Ownership: a queued chunk belongs to this until {@link #sendWith} hands it to the
 * origin or {@link #release} frees it.
 * One object per client connection, {@linkplain #reset reset} for each of its requests.
 */
final class RequestBody {

    /** Request body held while the origin connection opens, before the client is paused. */
    static final int MAX_QUEUED_BYTES = 64 * 1024;

    private boolean hasBody;
    private boolean complete;
    /** Created for the first chunk that has to wait (most requests have no body to queue). */
    private ArrayDeque<HttpContent> queued;
    private int queuedBytes;

    RequestBody(HttpRequest request) {
        reset(request);
    }

    /** The body of the connection's next request (anything still queued is released). */
    void reset(HttpRequest request) {
        release();
        hasBody = HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
        complete = request instanceof LastHttpContent;
    }

    /** The request announced a body (a length above 0, or chunks). */
    boolean hasBody() {
        return hasBody;
    }

    /** Its end was seen (or it will not be read any further). */
    boolean complete() {
        return complete;
    }

    void markComplete() {
        complete = true;
    }

    /**
     * A chunk from the client: written to {@code origin} (without flushing), or kept while it is
     * still opening ({@code null}). Returns whether it was written.
     */
    boolean pass(HttpContent content, Channel origin) {
        if (content instanceof LastHttpContent) {
            complete = true;
        }
        if (origin != null) {
            origin.write(content, origin.voidPromise());
            return true;
        }
        if (queued == null) {
            queued = new ArrayDeque<>(2);
        }
        queued.add(content);
        queuedBytes += content.content().readableBytes();
        return false;
    }

    /** A chunk that came after the exchange ended: released, its end still noted. */
    void drop(HttpContent content) {
        if (content instanceof LastHttpContent) {
            complete = true;
        }
        content.release();
    }

    /**
     * Whether the client may send more of the body now: always once it is complete (the next
     * pipelined request then waits in the handler), else while {@code origin} is writable, or
     * up to {@link #MAX_QUEUED_BYTES} while it is being opened ({@code null}).
     */
    boolean canTake(Channel origin) {
        if (complete) {
            return true;
        }
        return origin == null ? queuedBytes < MAX_QUEUED_BYTES : origin.isWritable();
    }

    /** Whether more of the body is to come and {@code origin} is open and writable. */
    boolean wanted(Channel origin) {
        return !complete && origin != null && origin.isWritable();
    }

    /**
     * Sends {@code request}'s head and what was queued of its body to {@code origin}, just opened,
     * and flushes. {@code retry}: the connection replaces a pooled one found dead, to which the
     * end of a body-less request may have gone already; it is sent again.
     */
    void sendWith(HttpRequest request, Channel origin, boolean retry) {
        origin.write(request, origin.voidPromise());
        HttpContent c;
        while (queued != null && (c = queued.poll()) != null) {
            origin.write(c, origin.voidPromise());
        }
        queuedBytes = 0;
        if (retry && complete && !(request instanceof LastHttpContent)) {
            origin.write(LastHttpContent.EMPTY_LAST_CONTENT, origin.voidPromise());
        }
        origin.flush();
    }

    void release() {
        HttpContent c;
        while (queued != null && (c = queued.poll()) != null) {
            c.release();
        }
        queuedBytes = 0;
    }
}
