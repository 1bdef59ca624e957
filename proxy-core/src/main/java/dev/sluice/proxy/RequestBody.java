package dev.sluice.proxy;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;

import java.util.ArrayDeque;

/**
 * The request body of one exchange as it passes: whether there is one, whether its end was seen,
 * and the chunks that arrived while the origin connection was still opening. Ownership: a queued
 * chunk belongs to this until {@link #writeTo} hands it to the origin or {@link #release} frees it.
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

    /** Keeps {@code content} until the origin connection is ready. */
    void queue(HttpContent content) {
        if (queued == null) {
            queued = new ArrayDeque<>(2);
        }
        queued.add(content);
        queuedBytes += content.content().readableBytes();
    }

    /** Whether less than {@link #MAX_QUEUED_BYTES} wait for the origin connection. */
    boolean hasRoom() {
        return queuedBytes < MAX_QUEUED_BYTES;
    }

    /** Writes what was queued to {@code origin} (without flushing). */
    void writeTo(Channel origin) {
        HttpContent c;
        while (queued != null && (c = queued.poll()) != null) {
            origin.write(c, origin.voidPromise());
        }
        queuedBytes = 0;
    }

    void release() {
        HttpContent c;
        while (queued != null && (c = queued.poll()) != null) {
            c.release();
        }
        queuedBytes = 0;
    }
}
