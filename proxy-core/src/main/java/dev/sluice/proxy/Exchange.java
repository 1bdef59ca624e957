package dev.sluice.proxy;

import dev.sluice.routing.Backend;
import dev.sluice.routing.ConnectionMode;
import dev.sluice.routing.Frontend;
import dev.sluice.routing.Server;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * One request and its response, from the decoded request head to the last byte of the answer.
 * Runs entirely on the client's event loop; the origin connection lives on the same loop.
 *
 * <p>Ownership: request body chunks received before the origin connection is ready are held in
 * {@link #body} and written (ownership moves to the origin channel) once it is; response
 * objects from the origin are written to the client, most through {@link #toClient}, which
 * decides how the client gets them. Every drop path releases.
 */
final class Exchange implements OriginLink.Listener {

    private final HttpClientHandler owner;
    private final ChannelHandlerContext client;
    private final Frontend frontend;
    private final HttpRequestView view;
    private final HttpRequest request;
    private final ExchangeStats stats;
    private Backend backend;
    private OriginLink link;
    private final RequestBody body;
    private final ClientResponse toClient;

    private Channel origin;
    private boolean reused;
    private boolean retriedStale;

    private boolean responseBytesSeen;
    private boolean done;
    private boolean upgrading;
    private boolean originKeepAlive;

    /**
     * {@code view}, {@code body}, {@code stats} and {@code toClient} (which holds the client's
     * context): the connection's, {@linkplain RequestBody#reset reset} for this request.
     */
    Exchange(HttpClientHandler owner, Frontend frontend, HttpRequestView view, RequestBody body,
             ExchangeStats stats, ClientResponse toClient) {
        this.owner = owner;
        this.stats = stats;
        this.client = toClient.client();
        this.frontend = frontend;
        this.view = view;
        this.request = view.request();
        this.body = body;
        this.toClient = toClient;
    }

    /** Runs the rules, picks the backend and server, and connects. */
    void start() {
        toClient.begin(frontend);
        if (owner.draining()) {
            toClient.closeAfter(); // a request that was on its way when the drain began: answered, then the end
        }

        Admission admission = Admission.decide(frontend, view, client.alloc());
        backend = admission.backend();
        if (backend != null) {
            stats.backend(backend);
        }
        if (admission.answer() != null) {
            answerLocally(admission.answer());
            return;
        }
        toClient.admitted(admission);
        Server picked = admission.server();
        MessageHeads.prepareRequest(request, frontend, backend, view);
        link = new OriginLink(owner.runtime(), client, backend, view, this, stats);
        link.open(picked);
    }

    // ---- origin connection ---------------------------------------------------------------

    @Override
    public boolean isDone() {
        return done;
    }

    @Override
    public void onOriginUnreachable() {
        answerError(503);
    }

    @Override
    public void onOriginReady(Channel ch, boolean pooled) {
        origin = ch;
        reused = pooled;
        stats.connected(pooled);
        OriginHandler handler = OriginHandler.of(ch);
        handler.attach(this);
        handler.rawNext(toClient.takesRawHead());
        body.sendWith(request, origin, retriedStale);
        owner.serverTimer().set(backend.timeouts().serverMs());
        owner.updateReading();
    }

    // ---- client side events ----------------------------------------------------------------

    /** A message from the client while this exchange is current; false when it is not ours. */
    boolean onClientMessage(Object msg) {
        if (body.complete() || !(msg instanceof HttpContent content) || msg instanceof HttpRequest) {
            return false;
        }
        if (content.decoderResult().isFailure()) {
            ReferenceCountUtil.release(content);
            body.markComplete();
            toClient.closeAfter();
            if (!toClient.started() && !done) {
                answerError(400);
            } else {
                abort();
            }
            return true;
        }
        stats.requestBytes(content.content().readableBytes());
        if (done) {
            body.drop(content);
        } else if (body.pass(content, origin)) {
            // The server is busy taking the body: that is activity, not a silent server.
            owner.serverTimer().set(backend.timeouts().serverMs());
        }
        return true;
    }

    void onClientReadComplete() {
        if (origin != null && !done) {
            origin.flush();
        }
    }

    /** Whether the request is not complete yet (its end can no longer come once the client shut its output). */
    boolean awaitsRequestData() {
        return !body.complete() && !done;
    }

    /** Whether the origin connection is ready for more of the body than came. */
    boolean wantsRequestBody() {
        return !done && body.wanted(origin);
    }

    /** Whether the client may send more now ({@link RequestBody#canTake}); always once this is done. */
    boolean canTakeRequestData() {
        return done || body.canTake(origin);
    }

    void onClientWritable() {
        if (origin != null && !done && !origin.config().isAutoRead()) {
            origin.config().setAutoRead(true);
            // Reading the origin again: from now on a silence is the server's again.
            owner.serverTimer().set(backend.timeouts().serverMs());
        }
    }

    void onOriginWritable() {
        owner.updateReading();
    }

    void onClientClosed() {
        if (done) {
            return;
        }
        done = true;
        finish(toClient.started() ? "CD" : "CH");
        cleanup(false);
    }

    // ---- origin side events ----------------------------------------------------------------

    void onOriginMessage(Object msg) {
        responseBytesSeen = true;
        if (done) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof RawResponse raw) {
            onRawResponse(raw);
        } else if (msg instanceof HttpResponse response) {
            onResponseHead(response);
        } else if (msg instanceof HttpContent content) {
            onResponseContent(content);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onResponseHead(HttpResponse response) {
        if (response.decoderResult().isFailure()) {
            link.server().observeResponseFailure("Layer7 invalid response");
            ReferenceCountUtil.release(response);
            originKeepAlive = false;
            answerError(502);
            return;
        }
        int status = response.status().code();
        if (status == 101 && view.request().headers().contains(HttpHeaderNames.UPGRADE)) {
            upgrading = true;
        } else if (status >= 100 && status < 200) {
            toClient.interim(response);
            return;
        }
        // the hop-by-hop headers go now (the 101 of an upgrade keeps them), their Connection read once
        boolean serverKeepAlive = upgrading ? HttpUtil.isKeepAlive(response)
                : HopByHop.keepAlive(HopByHop.stripResponse(response.headers()), response.protocolVersion());
        onFinalHead(status, serverKeepAlive && !MessageHeads.announcesForbiddenBody(response, request.method()));
        // head and end decoded together (OriginConnectionCodec): the write below sends both
        int endBytes = response instanceof LastHttpContent end ? end.content().readableBytes() : -1;
        toClient.head(response, upgrading, link.server());
        if (endBytes >= 0) {
            stats.responseBytes(endBytes);
            responseComplete();
        }
    }

    /**
     * A whole final response whose head goes to the client as its bytes (asked for in
     * {@link #onOriginReady}): what {@link #onResponseHead} does for a plain response.
     */
    private void onRawResponse(RawResponse raw) {
        onFinalHead(raw.status(), HopByHop.keepAlive(raw.connectionSaid(), HttpVersion.HTTP_1_1));
        long bytes = raw.contentLength();
        toClient.raw(raw);
        stats.responseBytes(bytes);
        responseComplete();
    }

    /**
     * What every final head decides, decoded or {@linkplain RawResponse as bytes}: the status for
     * the passive checks, whether the origin connection is kept ({@code serverKeepAlive}: what the
     * server's answer allows), and whether the client connection ends with this answer.
     */
    private void onFinalHead(int status, boolean serverKeepAlive) {
        // passive checks (observe layer7): nothing is written unless errors were counted
        link.server().observeStatus(status);
        originKeepAlive = serverKeepAlive && backend.connectionMode() == ConnectionMode.KEEP_ALIVE
                && frontend.connectionMode() == ConnectionMode.KEEP_ALIVE;
        if (body.hasBody() && !body.complete()) {
            // An answer before the whole body (e.g. a refused Expect: 100-continue): the rest of
            // the body will not be read, so the client connection ends with this response.
            toClient.closeAfter();
        }
    }

    private void onResponseContent(HttpContent content) {
        if (toClient.interimContent(content)) {
            return;
        }
        if (upgrading) {
            ReferenceCountUtil.release(content);
            if (content instanceof LastHttpContent) {
                client.write(LastHttpContent.EMPTY_LAST_CONTENT, client.voidPromise());
                switchToTunnel();
            }
            return;
        }
        if (content.decoderResult().isFailure()) {
            ReferenceCountUtil.release(content);
            abort();
            return;
        }
        boolean last = content instanceof LastHttpContent;
        stats.responseBytes(content.content().readableBytes());
        client.write(content, client.voidPromise());
        if (last) {
            responseComplete();
        }
    }

    void onOriginReadComplete() {
        if (done) {
            return;
        }
        owner.serverTimer().set(backend.timeouts().serverMs());
        client.flush();
        if (!client.channel().isWritable()) {
            // Backpressure: stop reading the origin until the client drains (onClientWritable).
            // The wait is then on the client (timeout client), not on the server.
            origin.config().setAutoRead(false);
            owner.serverTimer().clear();
        }
    }

    void onOriginClosed() {
        if (done) {
            return;
        }
        Channel closed = origin;
        origin = null;
        link.lost();
        if (!responseBytesSeen && reused && !retriedStale && !body.hasBody()) {
            // A pooled connection the server had closed: try once more on a new connection.
            retriedStale = true;
            link.open(link.server());
            return;
        }
        if (closed != null && !toClient.started()) {
            link.server().observeResponseFailure("Layer7 connection closed before the response");
            originKeepAlive = false;
            answerError(502);
            return;
        }
        abort();
    }

    // ---- timers ----------------------------------------------------------------------------

    /** {@code timeout server}: nothing from the origin for that long (re-armed on every read). */
    void onServerTimeout() {
        if (done) {
            return;
        }
        originKeepAlive = false;
        if (!toClient.started()) {
            if (link != null && link.server() != null) {
                link.server().observeResponseFailure("Layer7 timeout");
            }
            answerError(504);
        } else {
            abort();
        }
    }

    // ---- endings ---------------------------------------------------------------------------

    private void responseComplete() {
        done = true;
        finish("--");
        boolean keepOrigin = originKeepAlive && body.complete();
        cleanup(keepOrigin);
        owner.exchangeDone(this, toClient.keepAlive() && (body.complete() || !body.hasBody()));
    }

    private void answerError(int status) {
        answerLocally(Admission.error(client.alloc(), status, frontend, backend));
    }

    /** Sends a response Sluice made itself (error, redirect, deny, ...). */
    private void answerLocally(FullHttpResponse answer) {
        if (toClient.started()) {
            ReferenceCountUtil.release(answer);
            abort();
            return;
        }
        done = true;
        int code = answer.status().code();
        stats.response(code, true);
        finish(ExchangeStats.termination(code, link != null));
        boolean keep = toClient.local(answer, body.complete() || !body.hasBody());
        cleanup(false);
        owner.exchangeDone(this, keep);
    }

    /** Ends the exchange when the answer cannot be completed: both connections are closed. */
    private void abort() {
        done = true;
        finish(toClient.started() ? "SD" : "SH");
        cleanup(false);
        owner.exchangeDone(this, false);
    }

    private void finish(String termination) {
        stats.finish(client.channel(), request, owner.frontendName(), owner.tls(), termination);
    }

    private void cleanup(boolean keepOrigin) {
        owner.serverTimer().clear();
        body.release();
        origin = null;
        if (link != null) {
            link.release(keepOrigin);
        }
    }

    /** After a 101: both connections become a byte tunnel under {@code timeout tunnel}. */
    private void switchToTunnel() {
        done = true;
        finish("--");
        owner.serverTimer().clear();
        origin = null;
        Channel originCh = link.takeChannel();
        Tunnels.splice(client.channel(), originCh, Tunnels.idleTimeoutMs(frontend, backend));
    }
}
