package dev.sluice.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small Netty server that echoes what it reads, the first chunk prefixed {@code NAME:}: over TLS with a
 * self-signed certificate for {@code NAME} made here (so a client sees which server it reached,
 * and that nothing in between deciphered), or in plain text (so a test sees what the server got).
 */
public final class NamedServer implements AutoCloseable {

    private final String name;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final SelfSignedCertificate certificate;
    private final Channel server;
    private final AtomicInteger connections = new AtomicInteger();

    private NamedServer(String name, boolean tls) throws Exception {
        this.name = name;
        this.certificate = tls ? new SelfSignedCertificate(name) : null;
        SslContext ssl = tls ? SslContextBuilder.forServer(certificate.certificate(), certificate.privateKey()).build() : null;
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.incrementAndGet();
                        if (ssl != null) {
                            ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new Answer());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    /** A TLS server whose certificate names {@code name}. */
    public static NamedServer tls(String name) throws Exception {
        return new NamedServer(name, true);
    }

    /** A plain-text server. */
    public static NamedServer plain(String name) throws Exception {
        return new NamedServer(name, false);
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        if (certificate != null) {
            certificate.delete();
        }
    }

    private final class Answer extends ChannelInboundHandlerAdapter {
        private boolean named;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!named) {
                named = true;
                ctx.write(Unpooled.copiedBuffer(name + ":", StandardCharsets.ISO_8859_1));
            }
            ctx.writeAndFlush(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
