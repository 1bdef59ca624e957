package dev.sluice.proxy;

import dev.sluice.routing.Frontend;
import dev.sluice.routing.stats.Traffic;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ByteProcessor;

/**
 * The wait of a client connection for its next request, timed as HAProxy does:
 * {@code timeout http-request} for the first request (answered with a 408 when it does not
 * arrive in time), {@code timeout http-keep-alive} between requests (then the connection is
 * closed silently) until the next request's first byte, from which {@code timeout http-request}
 * applies again, with the 408; and no wait at all once the client has shut its output. On a TLS
 * bind the TLS handshake comes first, under {@code timeout client} (HAProxy's handshake timeout
 * falls back to it), and ends in a silent close: no HTTP answer can be sent before the handshake
 * is done. Whether
 * the connection still waits (no exchange current, nothing pending, not closing), its frontend
 * and how it ends are its {@link HttpClientHandler}'s, which it asks.
 *
 * <p>One per connection, made with its handler (its {@link #watcher} is asked for before the
 * handler is in the pipeline) and {@linkplain #attach attached} when that is added; used only
 * from the connection's event loop. Its one {@link LazyTimer} is moved, not scheduled anew, per
 * request. It holds no messages. An HTTP/2 stream's handler never starts it: the stream begins
 * with its request head, and the connection's waits are {@link H2IdleTimeout}'s.
 */
final class RequestWait {

    private final HttpClientHandler handler;
    private ChannelHandlerContext ctx;
    private LazyTimer timer;
    /** The connection's frontend counters (its stripe), where a 408 counts. */
    private Traffic traffic;
    private int stripe;
    private boolean firstRequest = true;
    /** The wait ends with a 408 ({@code timeout http-request}), not a silent close. */
    private boolean answers408;
    /** Between requests under {@code timeout http-keep-alive}, before any byte of the next one. */
    private boolean awaitingNextRequest;
    /** The client shut its output: answer what was received, then close. */
    private boolean clientInputEnded;
    /** A TLS connection whose handshake is not done yet. */
    private boolean handshaking;
    /** {@link #start} was called: not for an HTTP/2 stream. */
    private boolean started;
    /** Bytes of a request have arrived while no exchange was current, and its head is not complete yet. */
    private boolean requestBegun;

    RequestWait(HttpClientHandler handler) {
        this.handler = handler;
    }

    /** {@code ctx}: the handler's, once it is in the pipeline. */
    void attach(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.timer = new LazyTimer(ctx.executor(), this::onTimeout);
    }

    /**
     * Sits before the HTTP decoder and tells this wait when bytes arrive, so that the first
     * bytes of a keep-alive request (which the decoder may hold for a while) end the
     * keep-alive wait. Each read is an {@link EventClock} event: what it leads to in the
     * pipeline (timers, statistics, the origin pool) reads the clock once. Ownership of each
     * message passes on unchanged.
     */
    ChannelInboundHandlerAdapter watcher() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext watcherCtx, Object msg) {
                EventClock clock = EventClock.enter();
                try {
                    if (awaitingNextRequest) {
                        onNextRequestStarted();
                    }
                    if (!requestBegun && handler.awaitsRequest() && msg instanceof ByteBuf bytes
                            && bytes.forEachByte(ByteProcessor.FIND_NON_CRLF) >= 0) {
                        requestBegun = true; // the decoder skips line ends between requests: they begin none
                    }
                    watcherCtx.fireChannelRead(msg);
                } finally {
                    clock.exit();
                }
            }
        };
    }

    /** HAProxy: once the next request has begun, {@code timeout http-request} applies, with a 408. */
    private void onNextRequestStarted() {
        awaitingNextRequest = false;
        Frontend f = handler.frontendOf(handler.runtime().table());
        if (!handler.awaitsRequest() || f == null) {
            return;
        }
        answers408 = true;
        timer.set(f.timeouts().effectiveHttpRequestMs());
    }

    /**
     * The connection is open: waits for its first request, or first for the end of its TLS
     * handshake ({@code tls}); a 408 counts in {@code traffic}.
     */
    void start(Traffic traffic, int stripe, boolean tls) {
        started = true;
        this.traffic = traffic;
        this.stripe = stripe;
        this.handshaking = tls;
        arm();
    }

    /** The TLS handshake is done: the wait for the first request begins. */
    void onHandshakeDone() {
        if (handshaking) {
            handshaking = false;
            if (handler.awaitsRequest() && firstRequest) {
                arm();
            }
        }
    }

    /**
     * {@code timeout http-request} for the first request of a connection, else
     * {@code timeout http-keep-alive} until the next request's first byte
     * ({@link #onNextRequestStarted}).
     */
    private void arm() {
        Frontend f = handler.frontendOf(handler.runtime().table());
        if (f == null) {
            return;
        }
        if (handshaking) {
            answers408 = false;
            awaitingNextRequest = false;
            timer.set(f.timeouts().clientMs());
            return;
        }
        long ms = firstRequest ? f.timeouts().effectiveHttpRequestMs() : f.timeouts().effectiveKeepAliveMs();
        answers408 = firstRequest;
        awaitingNextRequest = !firstRequest;
        timer.set(ms);
    }

    /** A request head arrived: the wait is over. */
    void onRequest() {
        awaitingNextRequest = false;
        requestBegun = false;
        timer.clear();
        firstRequest = false;
    }

    /** Part of a request has arrived, and no exchange has started for it yet. */
    boolean requestBegun() {
        return requestBegun;
    }

    /** The client shut its output (the decoder has passed on every request it sent). */
    void onClientInputEnded() {
        clientInputEnded = true;
    }

    /**
     * After an answer, with no other request received: waits for the next one, or returns false
     * when none can come (the client shut its output). {@code timeout http-keep-alive} counts
     * from when the response has left, not while a slow client is still reading it (that wait is
     * {@code timeout client}'s): with bytes still queued, the timer starts when they are written.
     */
    boolean awaitNext() {
        if (clientInputEnded) {
            return false;
        }
        if (!started) {
            // An HTTP/2 stream: one request. It ends with the answer once the client has ended
            // its side; a client that keeps its side open after the answer (a request complete
            // by its length, without END_STREAM) gets timeout http-keep-alive, then a reset.
            if (ctx.channel() instanceof Http2StreamChannel stream && stream.stream().state().remoteSideOpen()) {
                arm();
            }
            return true;
        }
        ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        if (out == null || out.totalPendingWriteBytes() == 0) {
            arm();
            return true;
        }
        // the next request's first byte still switches to timeout http-request (onNextRequestStarted)
        awaitingNextRequest = !firstRequest;
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
            if (f.isSuccess() && handler.awaitsRequest() && !handler.holdsPending()
                    && (firstRequest || awaitingNextRequest)) {
                arm();
            }
        });
        return true;
    }

    /** The connection closed or is no longer this handler's (a tunnel, HTTP/2). */
    void cancel() {
        timer.cancel();
    }

    private void onTimeout() {
        if (!handler.awaitsRequest() || !ctx.channel().isActive()) {
            return;
        }
        if (answers408) {
            traffic.increment(stripe, Traffic.REQUESTS);
            traffic.response(stripe, 408);
            traffic.increment(stripe, Traffic.REQUEST_ERRORS);
            handler.sendAndClose(handler.errorResponse(408));
        } else {
            handler.closeNow();
        }
    }
}
