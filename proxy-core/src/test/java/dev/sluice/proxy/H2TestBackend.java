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
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An h2c origin (HTTP/2 with prior knowledge, no TLS) for tests. Each stream is answered at once
 * with a streamed body (no content-length) that starts with a line describing the request
 * ({@code server=NAME uri=URI host=AUTHORITY te=TE}), then echoes each request body chunk as it
 * arrives, and ends with trailers: {@code x-trailer: done} and {@code x-echo-trailer} (the
 * request's {@code x-checksum} trailer, if any). {@code /die} closes the whole connection without
 * answering; {@code /goaway} sends GOAWAY, then closes it; {@code /hang} never answers;
 * {@code /hold...} answers its URI after 200 ms; {@code /bytes/N} streams N zero bytes as fast as flow control lets it; {@code /count} answers
 * {@code received=N} once the whole request body is in.
 */
public final class H2TestBackend implements AutoCloseable {

    private final String name;
    private final EventLoopGroup group;
    private final Channel server;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger streams = new AtomicInteger();
    private final Map<String, String> lastHeaders = new ConcurrentHashMap<>();
    private final Set<Channel> accepted = ConcurrentHashMap.newKeySet();

    private H2TestBackend(String name, int maxConcurrentStreams) {
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
                        Http2FrameCodecBuilder codec = Http2FrameCodecBuilder.forServer();
                        if (maxConcurrentStreams > 0) {
                            codec.initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(maxConcurrentStreams));
                        }
                        ch.pipeline().addLast(codec.build());
                        ch.pipeline().addLast(new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                            @Override
                            protected void initChannel(Http2StreamChannel stream) {
                                streams.incrementAndGet();
                                stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true));
                                stream.pipeline().addLast(new Echo());
                            }
                        }));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    public static H2TestBackend start(String name) {
        return new H2TestBackend(name, 0);
    }

    /** An origin that allows at most {@code maxConcurrentStreams} streams per connection (SETTINGS). */
    public static H2TestBackend start(String name, int maxConcurrentStreams) {
        return new H2TestBackend(name, maxConcurrentStreams);
    }

    public int port() { return ((InetSocketAddress) server.localAddress()).getPort(); }
    /** TCP connections accepted so far. */
    public int connections() { return connections.get(); }
    /** Streams (requests) received so far. */
    public int streams() { return streams.get(); }
    /** A header of the last request (lower-case name), or null. */
    public String lastHeader(String name) { return lastHeaders.get(name); }

    @Override
    public void close() {
        if (group.isShuttingDown()) {
            return;
        }
        server.close().syncUninterruptibly();
        for (Channel ch : accepted) {
            ch.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Echo extends ChannelInboundHandlerAdapter {
        private boolean dropped;
        private long counted = -1;
        private Runnable pump;

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (pump != null && ctx.channel().isWritable()) {
                pump.run();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (dropped) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (msg instanceof HttpRequest request) {
                if (onHead(ctx, request)) {
                    ReferenceCountUtil.release(msg);
                    return;
                }
            }
            if (counted >= 0 && msg instanceof HttpContent content) {
                counted += content.content().readableBytes();
                if (content instanceof LastHttpContent) {
                    ctx.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
                    ctx.writeAndFlush(new DefaultLastHttpContent(
                            Unpooled.copiedBuffer("received=" + counted, StandardCharsets.UTF_8)));
                }
                ReferenceCountUtil.release(msg);
                return;
            }
            if (msg instanceof HttpContent content) {
                if (content.content().isReadable()) {
                    ctx.write(new DefaultHttpContent(content.content().retain()));
                }
                if (content instanceof LastHttpContent last) {
                    LastHttpContent end = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
                    end.trailingHeaders().set("x-trailer", "done");
                    String checksum = last.trailingHeaders().get("x-checksum");
                    if (checksum != null) {
                        end.trailingHeaders().set("x-echo-trailer", checksum);
                    }
                    ctx.write(end);
                }
                ctx.flush();
            }
            ReferenceCountUtil.release(msg);
        }

        /** Answers the head; true when the stream is dropped instead. */
        private boolean onHead(ChannelHandlerContext ctx, HttpRequest request) {
            lastHeaders.clear();
            request.headers().forEach(e -> lastHeaders.put(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue()));
            Channel connection = ctx.channel().parent();
            if (request.uri().startsWith("/die")) {
                dropped = true;
                connection.close();
                return true;
            }
            if (request.uri().startsWith("/count")) {
                counted = 0; // answers "received=N" once the whole body is in
                return false;
            }
            if (request.uri().startsWith("/bytes/")) {
                dropped = true;
                streamBytes(ctx, Long.parseLong(request.uri().substring("/bytes/".length())));
                return true;
            }
            if (request.uri().startsWith("/hold")) {
                // answers a little later, so that concurrent requests overlap
                dropped = true;
                String uri = request.uri();
                ctx.executor().schedule(() -> {
                    ctx.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
                    ctx.writeAndFlush(new DefaultLastHttpContent(Unpooled.copiedBuffer(uri, StandardCharsets.UTF_8)));
                }, 200, TimeUnit.MILLISECONDS);
                return true;
            }
            if (request.uri().startsWith("/hang")) {
                dropped = true; // reads the request, never answers
                return true;
            }
            if (request.uri().startsWith("/goaway")) {
                dropped = true;
                connection.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR))
                        .addListener(f -> connection.close());
                return true;
            }
            HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain").set("x-backend", name);
            ctx.write(response);
            HttpHeaders h = request.headers();
            String line = "server=" + name + " uri=" + request.uri() + " host=" + h.get(HttpHeaderNames.HOST)
                    + " te=" + h.get(HttpHeaderNames.TE) + " connection=" + h.get(HttpHeaderNames.CONNECTION)
                    + " upgrade=" + h.get(HttpHeaderNames.UPGRADE) + "\n";
            ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(line, StandardCharsets.UTF_8)));
            return false;
        }

        /** n bytes in 64 KiB DATA frames, each written only while the stream is writable (flow control). */
        private void streamBytes(ChannelHandlerContext ctx, long n) {
            ctx.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
            long[] left = {n};
            pump = () -> {
                while (left[0] > 0 && ctx.channel().isWritable()) {
                    int size = (int) Math.min(65536, left[0]);
                    left[0] -= size;
                    ctx.writeAndFlush(new DefaultHttpContent(ctx.alloc().buffer(size).writeZero(size)));
                }
                if (left[0] == 0) {
                    left[0] = -1;
                    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                }
            };
            pump.run();
        }
    }
}
