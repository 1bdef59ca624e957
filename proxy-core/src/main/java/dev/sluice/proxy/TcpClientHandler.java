package dev.sluice.proxy;

import dev.sluice.routing.Backend;
import dev.sluice.routing.ClientCertificate;
import dev.sluice.routing.Frontend;
import dev.sluice.routing.RequestView;
import dev.sluice.routing.Server;
import dev.sluice.routing.stats.Traffic;
import dev.sluice.routing.TcpInspection;
import dev.sluice.routing.config.ServerTlsConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.ssl.SslContext;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;

/**
 * A client connection on a {@code mode tcp} frontend: picks a backend and server, connects (with
 * {@code retries} and {@code option redispatch}), then turns both connections into a byte tunnel.
 * It routes when the connection opens; on a TLS bind once the handshake is done (the tunnel
 * carries the deciphered bytes); with {@code tcp-request content} rules once a
 * {@link TcpInspector} accepted the connection. Bytes that arrive before the tunnel exists (those
 * the inspector held, or deciphered early) are held here and written to the server first; they
 * are released if the connection ends before.
 */
final class TcpClientHandler extends ChannelInboundHandlerAdapter {

    private final ProxyRuntime runtime;
    private final String frontendName;
    private ChannelHandlerContext ctx;
    private Frontend frontend;
    private Backend backend;
    private RequestView view;
    private int attempt;
    private int stripe = -1;
    private ArrayDeque<Object> early;

    TcpClientHandler(ProxyRuntime runtime, String frontendName) {
        this.runtime = runtime;
        this.frontendName = frontendName;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        frontend = runtime.table().frontend(frontendName);
        if (frontend == null) {
            ctx.close();
            return;
        }
        stripe = runtime.stripe(ctx.channel().eventLoop());
        Traffic traffic = runtime.table().traffic().frontend(frontendName);
        traffic.increment(stripe, Traffic.SESSIONS);
        traffic.increment(stripe, Traffic.OPEN);
        ctx.channel().closeFuture().addListener(f -> traffic.add(stripe, Traffic.OPEN, -1));
        if (isTls()) {
            ctx.channel().config().setAutoRead(true); // the handshake reads; routing waits for its end
            return;
        }
        TcpInspection inspection = frontend.tcpInspection();
        if (inspection.inspects()) {
            ctx.pipeline().addBefore(ctx.name(), "inspect", new TcpInspector(inspection, this));
            return;
        }
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
        route(new ConnectionView(remote.getAddress(), local.getPort(), null, false, -1, false, null));
    }

    private boolean isTls() {
        return Boolean.TRUE.equals(ctx.channel().attr(TlsTermination.TLS).get());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done && view == null && frontend != null) {
            if (!done.isSuccess()) {
                ctx.close();
                return;
            }
            ctx.channel().config().setAutoRead(false);
            InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
            InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
            ConnectionView tls = new ConnectionView(remote.getAddress(), local.getPort(),
                    ctx.channel().attr(TlsTermination.SNI).get(), true, -1, false, ClientCertificates.of(ctx.channel()));
            // the deciphered stream holds no ClientHello: content rules see their final samples at once
            if (frontend.tcpInspection().evaluate(tls) == TcpInspection.Verdict.REJECT) {
                ctx.close();
                return;
            }
            route(tls);
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** Chooses the backend for {@code view} and connects to one of its servers. */
    void route(RequestView view) {
        this.view = view;
        backend = frontend.select(view);
        Server server = backend == null ? null : backend.pick(view, null);
        if (server == null) {
            ctx.close();
            return;
        }
        connect(server);
    }

    private void connect(Server server) {
        InetSocketAddress address = server.isSlot() ? server.state().address()
                : InetSocketAddress.createUnresolved(server.host(), server.port());
        if (address == null) {
            ctx.close(); // the slot lost its address after the balancer picked it
            return;
        }
        ServerTlsConfig tls = server.tls();
        SslContext sslContext = null;
        if (tls.ssl()) {
            try {
                sslContext = runtime.originTls().context(tls);
            } catch (javax.net.ssl.SSLException e) {
                server.state().recordError(e.getMessage());
                retry(server);
                return;
            }
        }
        SslContext tlsContext = sslContext;
        long connectMs = backend.timeouts().connectMs();
        String sni = tls.fixedSni(); // no request here: sni req.hdr(host) sends none
        ChannelFutureListener onConnect = f -> onConnected(server, f);
        server.state().acquire();
        runtime.connect(ctx.channel().eventLoop(), address, connectMs, ctx.alloc(), ch -> {
            ch.closeFuture().addListener(f -> server.state().release());
            if (tlsContext != null) {
                ch.pipeline().addLast("tls", OriginTls.newHandler(tlsContext, ch.alloc(), sni, connectMs));
            }
        }, tlsContext == null ? onConnect : OriginTls.afterHandshake(OriginTls.nameToVerify(tls, sni), connectMs, onConnect));
    }

    private void onConnected(Server server, ChannelFuture f) {
        if (!ctx.channel().isActive()) {
            if (f.isSuccess()) {
                f.channel().close();
            }
            return;
        }
        if (f.isSuccess()) {
            count(server, Traffic.CONNECTS);
            Channel origin = f.channel();
            if (early != null) {
                Object m;
                while ((m = early.poll()) != null) {
                    origin.write(m, origin.voidPromise());
                }
                origin.flush();
                early = null;
            }
            Tunnels.splice(ctx.channel(), origin, Tunnels.idleTimeoutMs(frontend, backend));
            return;
        }
        // The failed channel's close released the server (see connect).
        if (OriginTls.isHandshakeFailure(f.cause())) {
            server.state().recordError(OriginLink.describe(server, f.cause()));
        }
        retry(server);
    }

    private void retry(Server server) {
        server.state().traffic().increment(stripe, Traffic.CONNECT_ERRORS);
        runtime.table().traffic().backend(backend.name()).increment(stripe, Traffic.CONNECT_ERRORS);
        Server next = Retries.next(backend, view, server, ++attempt);
        if (next != null) {
            runtime.table().traffic().backend(backend.name()).increment(stripe, Traffic.RETRIES);
            connect(next);
            return;
        }
        ctx.close();
    }

    /** A session of the backend and of {@code server}, which the balancer chose. */
    private void count(Server server, int how) {
        Traffic b = runtime.table().traffic().backend(backend.name());
        b.increment(stripe, Traffic.SESSIONS);
        Traffic s = server.state().traffic();
        s.increment(stripe, Traffic.SESSIONS);
        s.increment(stripe, Traffic.SELECTED);
        s.increment(stripe, how);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (view == null || !ctx.channel().isActive()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (early == null) {
            early = new ArrayDeque<>(2);
        }
        early.add(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (early != null) {
            early.forEach(ReferenceCountUtil::release);
            early = null;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    /**
     * A connection as routing sees it in tcp mode: addresses, and what the client's TLS says
     * (its ClientHello read without deciphering, or the handshake of a TLS bind).
     */
    record ConnectionView(InetAddress clientAddress, int localPort, String sni, boolean isTls,
                          int sslHelloType, boolean helloPending,
                          ClientCertificate clientCertificate) implements RequestView {
        @Override public String method() { return null; }
        @Override public String uri() { return null; }
        @Override public String path() { return null; }
        @Override public List<String> headerLines(String name) { return List.of(); }
    }
}
