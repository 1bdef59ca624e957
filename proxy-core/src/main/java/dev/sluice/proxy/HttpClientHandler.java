package dev.sluice.proxy;

import dev.sluice.routing.Frontend;
import dev.sluice.routing.RoutingTable;
import dev.sluice.routing.stats.Traffic;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;

/**
 * The last handler of a client connection on an HTTP frontend: one per connection, on its event
 * loop. Requests are handled one at a time, in order; pipelined requests wait in {@link #pending}
 * (the decoder may emit several from one read) until the exchange before them is answered.
 * Auto-read stays on in the common case (so no epoll re-arm per request) and is switched off
 * only when Sluice must stop taking data: a pipelined request waiting behind the current one,
 * or a request body the origin connection cannot take yet. {@link RequestWait} times the wait
 * for each next request.
 *
 * <p>Ownership: every message received is either passed on to the current {@link Exchange}
 * (which owns it from then), kept in {@link #pending}, or released here.
 */
final class HttpClientHandler extends ChannelInboundHandlerAdapter {

    private final ProxyRuntime runtime;
    private final String frontendName;
    private final ArrayDeque<Object> pending = new ArrayDeque<>(2);
    private ChannelHandlerContext ctx;
    private Exchange exchange;
    private boolean closing;
    /** Sluice is stopping ({@link ProxyServer#DRAIN}): the connection ends after the exchange in flight. */
    private boolean draining;
    private ConnectionInfo connection;
    private RoutingTable cachedTable;
    private Frontend cachedFrontend;
    private final RequestWait requestWait = new RequestWait(this);
    private LazyTimer serverTimer;
    private ClientTimeout clientTimeout;
    /** This connection's event loop's stripe of the counters, and its frontend's counters. */
    private int stripe = -1;
    private Traffic traffic;
    private boolean counted;
    private final boolean countsConnection;
    /**
     * What each exchange of the connection records into, reads its request through and answers
     * through, reset for every request (one exchange at a time): no objects of these per request.
     */
    private ExchangeStats stats;
    private HttpRequestView view;
    private RequestBody body;
    private ClientResponse toClient;

    HttpClientHandler(ProxyRuntime runtime, String frontendName) {
        this(runtime, frontendName, true);
    }

    /**
     * For an HTTP/2 stream: its connection is counted once, not per stream, and what its requests
     * share ({@code connection}, with the client certificate) is read once per connection.
     */
    static HttpClientHandler forStream(ProxyRuntime runtime, String frontendName, ConnectionInfo connection) {
        HttpClientHandler h = new HttpClientHandler(runtime, frontendName, false);
        h.connection = connection;
        return h;
    }

    private HttpClientHandler(ProxyRuntime runtime, String frontendName, boolean countsConnection) {
        this.runtime = runtime;
        this.frontendName = frontendName;
        this.countsConnection = countsConnection;
    }

    ProxyRuntime runtime() {
        return runtime;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        requestWait.attach(ctx);
        this.serverTimer = new LazyTimer(ctx.executor(), this::onServerTimeout);
        this.clientTimeout = new ClientTimeout(ctx.executor(), () -> exchange != null && !closing,
                () -> exchange.wantsRequestBody() || !ctx.channel().isWritable(), this::closeNow);
    }

    /** This connection's frontend in {@code table}, looked up once per table, not per request. */
    Frontend frontendOf(RoutingTable table) {
        if (table != cachedTable) {
            cachedFrontend = table.frontend(frontendName);
            cachedTable = table;
        }
        return cachedFrontend;
    }

    /** The handler to put before the HTTP decoder: {@link RequestWait#watcher}. */
    ChannelInboundHandlerAdapter requestStartWatcher() {
        return requestWait.watcher();
    }

    /** The connection no longer counts as open on its frontend (closed, or a tunnel now). */
    private void uncount() {
        if (counted) {
            counted = false;
            traffic.add(stripe, Traffic.OPEN, -1);
        }
    }

    /** {@code timeout server} of the current exchange, one timer per connection. */
    LazyTimer serverTimer() {
        return serverTimer;
    }

    private void onServerTimeout() {
        Exchange e = exchange;
        if (e != null) {
            e.onServerTimeout();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        // Removed when the connection becomes a tunnel (after a 101) or HTTP/2 (ALPN): it stays
        // open, and counts as open until it closes.
        if (counted) {
            counted = false;
            Traffic t = traffic;
            int s = stripe;
            ctx.channel().closeFuture().addListener(f -> t.add(s, Traffic.OPEN, -1));
        }
        requestWait.cancel();
        serverTimer.cancel();
        clientTimeout.cancel();
        Object m;
        while ((m = pending.poll()) != null) {
            ReferenceCountUtil.release(m);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        stripe = runtime.stripe(ctx.channel().eventLoop());
        traffic = runtime.table().traffic().frontend(frontendName);
        if (countsConnection) {
            traffic.increment(stripe, Traffic.SESSIONS);
            traffic.increment(stripe, Traffic.OPEN);
            counted = true;
            // not for an HTTP/2 stream: it begins with its request head, its connection's wait is H2IdleTimeout's
            requestWait.start(traffic, stripe, ctx.channel().hasAttr(TlsTermination.TLS));
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        clientTimeout.progress();
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        pending.add(msg);
        drainPending();
        updateReading();
    }

    /**
     * Hands waiting messages on in order: a request head starts an exchange when none is
     * current, body chunks go to the current exchange while it takes them; the rest waits.
     */
    private void drainPending() {
        Object next;
        while (!closing && (next = pending.peek()) != null) {
            Exchange e = exchange;
            if (e == null) {
                pending.poll();
                handleIdle(next);
            } else if (e.onClientMessage(next)) {
                pending.poll();
            } else {
                return;
            }
        }
    }

    private void handleIdle(Object msg) {
        if (msg instanceof HttpRequest request) {
            startExchange(request);
        } else {
            // Body of a request already answered (or stray content): drop it.
            ReferenceCountUtil.release(msg);
        }
    }

    private void startExchange(HttpRequest request) {
        requestWait.onRequest();
        if (connection == null) {
            connection = ConnectionInfo.of(ctx.channel());
        }
        RoutingTable table = runtime.table();
        Frontend frontend = frontendOf(table);
        int refused = RequestChecks.refusal(request, table);
        if (refused == 0 && frontend == null) {
            refused = 503; // the frontend was removed by a reload: this connection ends with a 503
        }
        if (stats == null) {
            stats = new ExchangeStats(runtime, stripe, traffic);
        }
        stats.begin(table.traffic());
        if (refused != 0) {
            stats.response(refused, true);
            stats.finish(ctx.channel(), request, frontendName, connection.tls(), "PR");
            ReferenceCountUtil.release(request);
            sendAndClose(errorResponse(refused));
            return;
        }
        FrontendStats frontendStats = runtime.frontendStats();
        if (frontendStats != null && frontendStats.matches(request.uri())) {
            boolean allowed = frontendStats.authorized().test(request.headers().get("authorization"));
            stats.response(allowed ? 200 : 401, true);
            stats.finish(ctx.channel(), request, frontendName, connection.tls(), allowed ? "LR" : "PR");
            closing = true;
            StatsAnswer.answer(ctx, request, frontendStats);
            ReferenceCountUtil.release(request);
            return;
        }
        if (view == null) {
            view = new HttpRequestView(request, connection, connection.sni());
            body = new RequestBody(request);
            toClient = new ClientResponse(ctx, view, stats, countsConnection);
        } else {
            view.reset(request);
            body.reset(request);
        }
        Exchange e = new Exchange(this, frontend, view, body, stats, toClient);
        exchange = e;
        clientTimeout.arm(frontend.timeouts().clientMs());
        e.start();
    }

    /** Sluice is stopping: the exchange in flight is the connection's last. */
    boolean draining() {
        return draining;
    }

    String frontendName() {
        return frontendName;
    }

    boolean tls() {
        return connection != null && connection.tls();
    }

    /** Called by the exchange when its answer has been written. */
    void exchangeDone(Exchange e, boolean keepAlive) {
        if (exchange != e) {
            return;
        }
        exchange = null;
        if (!keepAlive || draining) {
            closeAfterFlush();
            return;
        }
        ctx.flush();
        drainPending();
        Exchange next = exchange;
        if (next != null) {
            // Pipelined data handed over outside a read: flush it to the origin now.
            next.onClientReadComplete();
        }
        if (exchange == null && !closing && !requestWait.awaitNext()) {
            closeAfterFlush();
            return;
        }
        updateReading();
    }

    /**
     * Reads from the client while nothing waits in {@link #pending} and the current exchange
     * (if any) can take more request data; otherwise stops reading until that changes.
     */
    void updateReading() {
        Exchange e = exchange;
        boolean on = !closing && pending.isEmpty() && (e == null || e.canTakeRequestData());
        if (ctx.channel().config().isAutoRead() != on) {
            ctx.channel().config().setAutoRead(on);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Exchange e = exchange;
        if (e != null) {
            e.onClientReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Exchange e = exchange;
        if (ctx.channel().isWritable()) {
            clientTimeout.progress();
            if (e != null) {
                e.onClientWritable();
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        uncount();
        closing = true;
        requestWait.cancel();
        serverTimer.cancel();
        clientTimeout.cancel();
        Exchange e = exchange;
        exchange = null;
        if (e != null) {
            e.onClientClosed();
        }
        Object m;
        while ((m = pending.poll()) != null) {
            ReferenceCountUtil.release(m);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof io.netty.handler.ssl.SslHandshakeCompletionEvent done) {
            if (done.isSuccess()) {
                requestWait.onHandshakeDone();
            } else if (traffic != null) {
                traffic.increment(stripe, Traffic.TLS_FAILED_HANDSHAKES);
            }
        }
        if (evt == ProxyServer.DRAIN) {
            draining = true;
            if (exchange == null) {
                // a connection with part of a request head received waits for the rest (under
                // timeout http-request) and gets its answer; an idle one ends now
                if (!closing && !requestWait.requestBegun()) {
                    closeAfterFlush();
                }
            } else {
                toClient.closeAfter(); // "Connection: close" on the answer, if its head is still to come
            }
            return;
        }
        if (evt instanceof ChannelInputShutdownEvent) {
            // The decoder before this handler has passed on all it could decode by now.
            requestWait.onClientInputEnded();
            Exchange e = exchange;
            if (e == null || e.awaitsRequestData()) {
                closeNow();
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!countsConnection && stats == null && !closing && cause instanceof DecoderException
                && cause.getCause() instanceof Http2Exception) {
            // An HTTP/2 stream's head that does not convert to an HTTP/1.1 request (':authority'
            // and 'host' that differ, RFC 9113 section 8.3.1): a 400 as for an HTTP/1.1 request
            // that does not parse, counted and logged, then the stream ends.
            HttpRequest bad = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/bad-request",
                    Unpooled.EMPTY_BUFFER);
            bad.setDecoderResult(DecoderResult.failure(cause.getCause()));
            startExchange(bad);
            return;
        }
        ctx.close();
    }

    /** Writes {@code response} with {@code Connection: close} and closes the connection. */
    void sendAndClose(FullHttpResponse response) {
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        closing = true;
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    void closeAfterFlush() {
        closing = true;
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    /** No exchange is current and the connection is not closing: it waits for a request. */
    boolean awaitsRequest() {
        return exchange == null && !closing;
    }

    /** A message received waits in {@link #pending} for its turn. */
    boolean holdsPending() {
        return !pending.isEmpty();
    }

    void closeNow() {
        closing = true;
        ctx.close();
    }

    /** Sluice's own answer for {@code status}, or the frontend's {@code errorfile} for it. */
    FullHttpResponse errorResponse(int status) {
        Frontend f = frontendOf(runtime.table());
        return ErrorResponses.response(ctx.alloc(), status, f == null ? null : f.errorPages().get(status));
    }
}
