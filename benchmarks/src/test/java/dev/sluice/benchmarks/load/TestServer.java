package dev.sluice.benchmarks.load;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.concurrent.TimeUnit.NANOSECONDS;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
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
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A keep-alive HTTP/1.1 server on 127.0.0.1 that answers every request (counted by its blank
 * line) with 200 and a 2-byte body. It can hold every answer back for a while (a stall, starting a
 * fixed time after its first request), and close a connection instead of answering one request.
 */
final class TestServer implements AutoCloseable {

    private static final byte[] RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(US_ASCII);

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final long stallAfterNanos;
    private final long stallNanos;
    private final long dropRequest;
    private final AtomicLong requests = new AtomicLong();
    private volatile long firstRequestAt;

    /**
     * @param stallAfterNanos when, after the first request, every answer is held back
     * @param stallNanos      for how long (0: never)
     * @param dropRequest     the number (1-based) of the request whose connection is closed
     *                        instead of answered (0: none)
     */
    TestServer(long stallAfterNanos, long stallNanos, long dropRequest) throws InterruptedException {
        this.stallAfterNanos = stallAfterNanos;
        this.stallNanos = stallNanos;
        this.dropRequest = dropRequest;
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new Answerer());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    long requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Counts requests by their CRLFCRLF (they have no body) and answers each one. */
    private final class Answerer extends ChannelInboundHandlerAdapter {
        private int matched; // how much of CRLFCRLF the last bytes matched

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                while (in.isReadable()) {
                    byte b = in.readByte();
                    matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : (b == '\r' ? 1 : 0);
                    if (matched == 4) {
                        matched = 0;
                        answer(ctx);
                    }
                }
            } finally {
                in.release();
            }
        }

        private void answer(ChannelHandlerContext ctx) {
            long now = System.nanoTime();
            long n = requests.incrementAndGet();
            if (n == 1) {
                firstRequestAt = now;
            }
            if (n == dropRequest) {
                ctx.close();
                return;
            }
            long stallFrom = firstRequestAt + stallAfterNanos;
            long stallUntil = stallFrom + stallNanos;
            if (stallNanos > 0 && now >= stallFrom && now < stallUntil) {
                ctx.executor().schedule(() -> write(ctx), stallUntil - now, NANOSECONDS);
            } else {
                write(ctx);
            }
        }

        private void write(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(RESPONSE));
        }
    }
}
