package dev.sluice.proxy;

import dev.sluice.routing.Backend;
import dev.sluice.routing.Frontend;
import dev.sluice.routing.RequestView;
import dev.sluice.routing.Server;
import dev.sluice.routing.config.ServerTlsConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.ssl.SslContext;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * A client connection on a {@code mode tcp} frontend: picks a backend and server when the
 * connection opens, connects (with {@code retries} and {@code option redispatch}), then turns
 * both connections into a byte tunnel. Nothing is read from the client before that.
 */
final class TcpClientHandler extends ChannelInboundHandlerAdapter {

    private final ProxyRuntime runtime;
    private final String frontendName;
    private ChannelHandlerContext ctx;
    private Frontend frontend;
    private Backend backend;
    private RequestView view;
    private int attempt;

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
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
        view = new ConnectionView(remote.getAddress(), local.getPort());
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
            Channel origin = f.channel();
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
        Server next = Retries.next(backend, view, server, ++attempt);
        if (next != null) {
            connect(next);
            return;
        }
        ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    /** A connection as routing sees it in tcp mode: addresses only. */
    private record ConnectionView(InetAddress clientAddress, int localPort) implements RequestView {
        @Override public String method() { return null; }
        @Override public String uri() { return null; }
        @Override public String path() { return null; }
        @Override public List<String> headerLines(String name) { return List.of(); }
        @Override public String sni() { return null; }
        @Override public boolean isTls() { return false; }
    }
}
