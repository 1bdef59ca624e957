package dev.sluice.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * Answers a request for the frontends' stats page: 401 with HAProxy's realm without the right
 * credentials, else the page (or CSV) rendered on Netty's global executor, never on the event
 * loop (reading the response-time histograms takes their monitor), then written from the loop.
 * The connection closes after the answer.
 */
final class StatsAnswer {

    private StatsAnswer() {
    }

    static void answer(ChannelHandlerContext ctx, HttpRequest request, FrontendStats stats) {
        if (!stats.authorized().test(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            FullHttpResponse r = response(ctx, HttpResponseStatus.UNAUTHORIZED,
                    "<html><body><h1>401 Unauthorized</h1>\nYou need a valid user and password to access this content.\n</body></html>\n",
                    "text/html");
            r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"HAProxy Statistics\"");
            write(ctx, r);
            return;
        }
        boolean csv = FrontendStats.wantsCsv(request.uri(), stats.uri());
        GlobalEventExecutor.INSTANCE.execute(() -> {
            String body;
            try {
                body = stats.render().apply(csv);
            } catch (RuntimeException e) {
                body = null;
            }
            String text = body;
            ctx.executor().execute(() -> write(ctx, text == null
                    ? response(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "the statistics could not be read\n", "text/plain")
                    : response(ctx, HttpResponseStatus.OK, text, csv ? "text/plain" : "text/html")));
        });
    }

    private static FullHttpResponse response(ChannelHandlerContext ctx, HttpResponseStatus status, String text,
                                             String type) {
        ByteBuf body = ByteBufUtil.writeUtf8(ctx.alloc(), text);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type + "; charset=utf-8")
                .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return r;
    }

    private static void write(ChannelHandlerContext ctx, FullHttpResponse r) {
        if (!ctx.channel().isActive()) {
            r.release();
            return;
        }
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }
}
