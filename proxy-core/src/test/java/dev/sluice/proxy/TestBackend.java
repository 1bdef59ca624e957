package dev.sluice.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP origin on an ephemeral port for tests. It streams (never aggregates) and behaves
 * by path:
 * <ul>
 *   <li>any path: 200, body {@code server=NAME}, then {@code method}, {@code uri} and every
 *       request header as {@code name: value} lines; header {@code X-Server: NAME}</li>
 *   <li>{@code /bytes?n=N}: N bytes, chunked, written as the client reads them</li>
 *   <li>{@code /upload}: reads the body, answers {@code received=N}</li>
 *   <li>{@code /slow?ms=N}: answers after N ms</li>
 *   <li>{@code /hang}: never answers; {@code /reset}: resets the connection;
 *       {@code /garbage}: answers bytes that are not HTTP; {@code /eof}: answers a
 *       close-delimited body (no length, no chunking), then closes</li>
 *   <li>{@code /ws}: a WebSocket echo</li>
 * </ul>
 */
public final class TestBackend implements AutoCloseable {

    private final String name;
    private final EventLoopGroup group;
    private final Channel server;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, String> lastHeaders = new ConcurrentHashMap<>();
    /** Accepted connections, closed by {@link #close} as a dying process's sockets would be. */
    private final java.util.Set<Channel> accepted = ConcurrentHashMap.newKeySet();

    /** The SNI of the last TLS connection ("" for none); {@code null} before one. */
    private final java.util.concurrent.atomic.AtomicReference<String> lastSni = new java.util.concurrent.atomic.AtomicReference<>();

    private TestBackend(String name) {
        this(name, new InetSocketAddress("127.0.0.1", 0));
    }

    private TestBackend(String name, InetSocketAddress bindAddress) {
        this(name, bindAddress, null);
    }

    private TestBackend(String name, InetSocketAddress bindAddress, io.netty.handler.ssl.SslContext tls) {
        this.name = name;
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.incrementAndGet();
                        accepted.add(ch);
                        ch.closeFuture().addListener(f -> accepted.remove(ch));
                        if (tls != null) {
                            ch.pipeline().addLast("tls", new io.netty.handler.ssl.SniHandler(host -> {
                                lastSni.set(host == null ? "" : host);
                                return tls;
                            }));
                        }
                        ch.pipeline().addLast("http", new HttpServerCodec());
                        ch.pipeline().addLast("continue", new HttpServerExpectContinueHandler());
                        ch.pipeline().addLast("app", new Handler());
                    }
                })
                .bind(bindAddress).syncUninterruptibly().channel();
    }

    public static TestBackend start(String name) {
        return new TestBackend(name);
    }

    /** A backend on {@code host:port} (any 127.x.y.z address works on Linux: all of 127/8 is loopback). */
    public static TestBackend start(String name, String host, int port) {
        return new TestBackend(name, new InetSocketAddress(host, port));
    }

    /** A backend that speaks HTTPS with {@code tls} (a server context; it may require client certificates). */
    public static TestBackend startTls(String name, io.netty.handler.ssl.SslContext tls) {
        return new TestBackend(name, new InetSocketAddress("127.0.0.1", 0), tls);
    }

    /** The SNI host name of the last TLS connection, {@code ""} when it sent none; {@code null} before any. */
    public String lastSni() { return lastSni.get(); }

    public String name() { return name; }
    public int port() { return ((InetSocketAddress) server.localAddress()).getPort(); }
    /** Connections accepted so far. */
    public int connections() { return connections.get(); }
    /** Requests received so far. */
    public int requests() { return requests.get(); }
    /** Requests being handled now. */
    public int inFlight() { return inFlight.get(); }

    @Override
    public void close() {
        if (group.isShuttingDown()) {
            return; // closed already
        }
        server.close().syncUninterruptibly();
        // like a process that dies: every connection is closed, none is left open and unread
        for (Channel ch : accepted) {
            ch.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Handler extends ChannelInboundHandlerAdapter {
        private HttpRequest request;
        private long received;
        private boolean upload;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest req) {
                request = req;
                received = 0;
                requests.incrementAndGet();
                String path = new QueryStringDecoder(req.uri()).path();
                upload = path.equals("/upload");
                if (path.equals("/ws")) {
                    ctx.pipeline().addAfter("http", "agg", new HttpObjectAggregator(65536));
                    ctx.pipeline().addAfter("agg", "ws", new WebSocketServerProtocolHandler("/ws"));
                    ctx.pipeline().replace(this, "echo", new Echo());
                    ctx.pipeline().context("agg").fireChannelRead(msg);
                    return;
                }
            }
            if (msg instanceof HttpContent content) {
                received += content.content().readableBytes();
                content.release();
                if (content instanceof LastHttpContent) {
                    respond(ctx);
                }
            }
        }

        private void respond(ChannelHandlerContext ctx) {
            QueryStringDecoder q = new QueryStringDecoder(request.uri());
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            switch (q.path()) {
                case "/hang" -> { }
                case "/reset" -> {
                    ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                    ctx.close();
                }
                case "/garbage" -> {
                    ctx.pipeline().remove("http");
                    ctx.writeAndFlush(Unpooled.copiedBuffer("THIS IS NOT HTTP\r\n\r\n", StandardCharsets.US_ASCII))
                            .addListener(ChannelFutureListener.CLOSE);
                }
                case "/eof" -> {
                    ctx.pipeline().remove("http");
                    String text = "HTTP/1.1 200 OK\r\nX-Server: " + name + "\r\nConnection: close\r\n\r\nclose-delimited body";
                    ctx.writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII))
                            .addListener(ChannelFutureListener.CLOSE);
                }
                case "/slow" -> {
                    inFlight.incrementAndGet();
                    long ms = Long.parseLong(param(q, "ms", "100"));
                    ctx.executor().schedule(() -> {
                        inFlight.decrementAndGet();
                        sendText(ctx, keepAlive, "server=" + name + "\nslow=" + ms + "\n");
                    }, ms, TimeUnit.MILLISECONDS);
                }
                case "/upload" -> sendText(ctx, keepAlive, "received=" + received);
                case "/bytes" -> streamBytes(ctx, Long.parseLong(param(q, "n", "0")));
                default -> sendText(ctx, keepAlive, echo());
            }
        }

        private String echo() {
            StringBuilder sb = new StringBuilder("server=").append(name).append('\n')
                    .append("method=").append(request.method()).append('\n')
                    .append("uri=").append(request.uri()).append('\n');
            request.headers().forEach(h -> sb.append(h.getKey().toLowerCase()).append(": ").append(h.getValue()).append('\n'));
            return sb.toString();
        }

        private void sendText(ChannelHandlerContext ctx, boolean keepAlive, String text) {
            ByteBuf body = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
            r.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                    .set("X-Server", name)
                    .set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
            if (!keepAlive) {
                r.headers().set(HttpHeaderNames.CONNECTION, "close");
                ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.writeAndFlush(r);
            }
        }

        /** Streams n bytes in 64 KiB chunks, writing the next chunk only when writable. */
        private void streamBytes(ChannelHandlerContext ctx, long n) {
            HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            HttpUtil.setTransferEncodingChunked(r, true);
            r.headers().set("X-Server", name);
            ctx.write(r);
            AtomicLong left = new AtomicLong(n);
            Runnable pump = new Runnable() {
                @Override
                public void run() {
                    while (left.get() > 0 && ctx.channel().isWritable()) {
                        int size = (int) Math.min(65536, left.get());
                        ByteBuf chunk = ctx.alloc().buffer(size);
                        chunk.writeZero(size);
                        left.addAndGet(-size);
                        ctx.writeAndFlush(new DefaultHttpContent(chunk));
                    }
                    if (left.get() == 0) {
                        left.set(-1);
                        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                    }
                }
            };
            ctx.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelWritabilityChanged(ChannelHandlerContext c) {
                    if (c.channel().isWritable()) {
                        pump.run();
                    }
                }
            });
            pump.run();
        }

        private String param(QueryStringDecoder q, String key, String dflt) {
            var v = q.parameters().get(key);
            return v == null || v.isEmpty() ? dflt : v.get(0);
        }
    }

    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof TextWebSocketFrame frame) {
                ctx.writeAndFlush(new TextWebSocketFrame("echo:" + frame.text()));
                frame.release();
            } else {
                ReferenceCountUtil.release(msg);
            }
        }
    }
}
