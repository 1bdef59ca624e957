package dev.sluice.proxy;

import dev.sluice.routing.Timeouts;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * After the TLS handshake, what the client chose by ALPN: {@code h2} turns the connection into
 * HTTP/2, each stream a child channel (on the connection's event loop) carrying one request
 * through the same HTTP/1.1 handling as any other (the stream's frames converted to and from
 * HTTP/1.1 objects), so routing, rules and backends are the same; anything else stays HTTP/1.1.
 */
final class Http2Streams extends ApplicationProtocolNegotiationHandler {

    private final Function<ConnectionInfo, HttpClientHandler> handlers;
    private final Supplier<Timeouts> timeouts;

    /**
     * @param handlers the handler of one stream, given what the streams of its connection share
     * @param timeouts the frontend's timeouts as of now (null once it is gone), for {@link H2IdleTimeout}
     */
    Http2Streams(Function<ConnectionInfo, HttpClientHandler> handlers, Supplier<Timeouts> timeouts) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.handlers = handlers;
        this.timeouts = timeouts;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        if (!ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            return; // HTTP/1.1: the pipeline is ready as it is
        }
        ChannelPipeline p = ctx.pipeline();
        p.remove("request-start");
        ClientConnectionCodec.remove(p);
        p.remove("proxy");
        // the handshake is done: the address, SNI and client certificate are the same for every stream
        ConnectionInfo connection = ConnectionInfo.of(ctx.channel());
        // A stream's response is flushed when it is complete, mostly while reading its origin
        // connection, not this one: those flushes wait for the end of the event loop's round, so
        // the responses finished in one round leave in one TLS write and one send, not one each.
        p.addLast("h2-flush", new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
        p.addLast("h2", Http2FrameCodecBuilder.forServer().build());
        p.addLast("h2-idle", new H2IdleTimeout(timeouts));
        p.addLast("h2-streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                // a stream channel starts with Netty's default allocator: the connection's pooled one instead
                stream.config().setAllocator(stream.parent().alloc());
                stream.pipeline().addLast("http", new Http2StreamFrameToHttpObjectCodec(true));
                stream.pipeline().addLast("end-in-headers", new H2EndInHeaders());
                stream.pipeline().addLast("proxy", handlers.apply(connection));
            }
        }));
    }
}
