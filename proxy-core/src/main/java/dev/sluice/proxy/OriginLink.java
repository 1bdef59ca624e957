package dev.sluice.proxy;

import dev.sluice.routing.Backend;
import dev.sluice.routing.Server;
import dev.sluice.routing.config.ServerTlsConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.net.InetSocketAddress;

/**
 * The origin side of one exchange: the server it holds (counted in that server's active
 * requests until released) and the connection to it, taken from the event loop's pool or opened
 * on the client's event loop, with HAProxy's retries and redispatch on connect failures.
 */
final class OriginLink {

    /** What the link tells its exchange. */
    interface Listener {
        /** A connection is ready ({@code pooled}: reused from the pool). */
        void onOriginReady(Channel channel, boolean pooled);

        /** Every attempt failed. */
        void onOriginUnreachable();

        /** The exchange ended meanwhile; a connection that opens now is closed. */
        boolean isDone();
    }

    private final ProxyRuntime runtime;
    private final ChannelHandlerContext client;
    private final Backend backend;
    private final HttpRequestView view;
    private final Listener listener;
    private final ExchangeStats stats;
    private Server server;
    private boolean acquired;
    private int attempt;
    private Channel channel;

    OriginLink(ProxyRuntime runtime, ChannelHandlerContext client, Backend backend, HttpRequestView view,
               Listener listener, ExchangeStats stats) {
        this.runtime = runtime;
        this.stats = stats;
        this.client = client;
        this.backend = backend;
        this.view = view;
        this.listener = listener;
    }

    Server server() {
        return server;
    }

    /** Connects to {@code target} (a pooled connection first). */
    void open(Server target) {
        if (acquired && target != server) {
            server.state().release();
            acquired = false;
        }
        server = target;
        stats.selected(target);
        if (!acquired) {
            server.state().acquire();
            acquired = true;
        }
        Server s = server;
        ServerTlsConfig tls = s.tls();
        String sni = tls.ssl() ? OriginTls.sni(tls, host()) : null;
        Channel pooled = OriginPool.current().poll(server.state(), sni, tls.sniFromHost());
        if (pooled != null) {
            ready(pooled, true);
            return;
        }
        SslContext sslContext = null;
        if (tls.ssl()) {
            try {
                sslContext = runtime.originTls().context(tls);
            } catch (javax.net.ssl.SSLException e) {
                s.state().recordError(e.getMessage());
                failed(s);
                return;
            }
        }
        // A slot's address comes from DNS discovery: read the version first, so a connection
        // opened while the address changes is never pooled as belonging to the new one.
        int version = s.state().addressVersion();
        InetSocketAddress resolved = s.state().address();
        InetSocketAddress address = s.isSlot() || resolved != null ? resolved
                // a host name not resolved in the background yet: resolved now (asynchronously)
                : InetSocketAddress.createUnresolved(s.host(), s.port());
        if (address == null) {
            // the slot lost its address after the balancer picked it
            s.state().recordError("DNS: no address for " + s.host() + " in this slot");
            failed(s);
            return;
        }
        long connectMs = backend.timeouts().connectMs();
        if (s.h2()) {
            // a stream of a shared HTTP/2 connection; its outcome is handled like a connect's
            H2OriginPool.current().openStream(runtime, client.channel().eventLoop(), client.alloc(), s.state(),
                    version, address, connectMs,
                    H2OriginPool.streamPipeline(s.state(), view.acceptsTrailers(), s.host() + ":" + s.port()),
                    (stream, cause) -> onConnected(s, stream, cause));
            return;
        }
        SslContext tlsContext = sslContext;
        ChannelFutureListener onConnect = f -> onConnected(s, f);
        runtime.connect(client.channel().eventLoop(), address, connectMs, client.alloc(),
                // Response headers are validated: a CR or NUL in a value would otherwise be
                // relayed to the client verbatim (header injection); such a response is a 502.
                ch -> {
                    // first, so that TLS and the codec run inside the read event too
                    ch.pipeline().addLast("clock", EventClock.READS);
                    if (tlsContext != null) {
                        ch.attr(OriginTls.SNI).set(sni);
                        ch.pipeline().addLast("tls", OriginTls.newHandler(tlsContext, ch.alloc(), sni, connectMs));
                    }
                    OriginConnectionCodec codec = OriginConnectionCodec.addLast(ch.pipeline(), new HttpDecoderConfig()
                            .setHeadersFactory(KnownWords.HEADERS).setMaxInitialLineLength(8192)
                            .setMaxHeaderSize(65536).setMaxChunkSize(65536));
                    ch.pipeline().addLast(new OriginHandler(s.state(), codec, version));
                },
                tlsContext == null ? onConnect : OriginTls.afterHandshake(OriginTls.nameToVerify(tls, sni), connectMs, onConnect));
    }

    /** The request's Host header (for {@code sni req.hdr(host)}), or {@code null}. */
    private String host() {
        java.util.List<String> h = view.headerLines("host");
        return h.isEmpty() ? null : h.get(0);
    }

    private void failed(Server s) {
        stats.connectFailed(s);
        Server next = Retries.next(backend, view, s, ++attempt);
        if (next != null) {
            stats.retried(next != s);
            open(next);
            return;
        }
        listener.onOriginUnreachable();
    }

    private void onConnected(Server s, ChannelFuture f) {
        onConnected(s, f.isSuccess() ? f.channel() : null, f.cause());
    }

    /** {@code ch}: the connection (or HTTP/2 stream) made; {@code null}: {@code cause} says why not. */
    private void onConnected(Server s, Channel ch, Throwable cause) {
        if (listener.isDone()) {
            if (ch != null) {
                ch.close();
            }
            return;
        }
        if (ch != null) {
            s.state().clearError();
            s.observeConnected();
            ready(ch, false);
            return;
        }
        String error = describe(s, cause);
        s.state().recordError(error);
        s.observeConnectFailure(error);
        failed(s);
    }

    /** Why a connect failed, as a person reads it: "DNS: no such host", "connection refused". */
    static String describe(Server s, Throwable cause) {
        InetSocketAddress a = s.isSlot() ? s.state().address() : null;
        String target = a != null && a.getAddress() != null
                ? a.getAddress().getHostAddress() + ":" + a.getPort() : s.host() + ":" + s.port();
        if (cause instanceof java.net.UnknownHostException) {
            return "DNS: no such host " + s.host();
        }
        if (OriginTls.isHandshakeFailure(cause)) {
            return OriginTls.describe(target, cause);
        }
        if (cause instanceof io.netty.channel.ConnectTimeoutException) {
            return "Layer4 timeout connecting to " + target;
        }
        String message = cause == null ? "unknown error" : cause.getMessage();
        if (message != null && message.toLowerCase(java.util.Locale.ROOT).contains("refused")) {
            return "Layer4 connection refused by " + target;
        }
        return "Layer4 connect to " + target + " failed: " + (message == null ? cause.getClass().getSimpleName() : message);
    }

    private void ready(Channel ch, boolean pooled) {
        channel = ch;
        listener.onOriginReady(ch, pooled);
    }

    /** The connection closed under the exchange; {@link #open} may follow. */
    void lost() {
        channel = null;
    }

    /**
     * Ends the link: the connection goes back to the pool when {@code keep} (and still open),
     * else it is closed; the server no longer counts this request.
     */
    void release(boolean keep) {
        releaseServer();
        Channel ch = channel;
        channel = null;
        if (ch == null) {
            return;
        }
        OriginHandler.of(ch).detach();
        if (ch instanceof Http2StreamChannel) {
            // a stream is used once: closed by now when complete, else reset (RST_STREAM) by this
            ch.close();
        } else if (keep && ch.isActive()) {
            // Idle in the pool it keeps reading, so a close by the server is seen at once.
            ch.config().setAutoRead(true);
            OriginPool.current().offer(server.state(), ch);
        } else {
            ch.close();
        }
    }

    /** Hands the connection over (it becomes a tunnel) and stops counting the request. */
    Channel takeChannel() {
        releaseServer();
        Channel ch = channel;
        channel = null;
        OriginHandler.of(ch).detach();
        return ch;
    }

    private void releaseServer() {
        if (acquired) {
            server.state().release();
            acquired = false;
        }
    }
}
