package dev.sluice.health;

import dev.sluice.routing.config.HttpCheckConfig;
import dev.sluice.routing.config.HttpCheckExpect;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP check on one connection: sends the {@code option httpchk} request when connected,
 * reads the status and (for {@code string}/{@code rstring}) at most {@link #MAX_BODY} bytes of the
 * body, judges it by {@code http-check expect}, and closes. Every message it reads is released here.
 */
final class HttpCheckHandler extends ChannelInboundHandlerAdapter {

    /** HAProxy's {@code tune.chksize} default: the part of the body a content match sees. */
    static final int MAX_BODY = 16384;

    interface Outcome {
        void done(boolean passed, String reason);
    }

    private final CheckTarget target;
    private final InetSocketAddress address;
    private final Outcome outcome;
    private final StringBuilder body = new StringBuilder();
    private int status = -1;
    private String phrase = "";
    private boolean finished;

    HttpCheckHandler(CheckTarget target, InetSocketAddress address, Outcome outcome) {
        this.target = target;
        this.address = address;
        this.outcome = outcome;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        HttpCheckConfig http = target.http();
        HttpVersion version = HttpVersion.valueOf(http.version());
        FullHttpRequest request = new DefaultFullHttpRequest(version, HttpMethod.valueOf(http.method()), http.uri(),
                Unpooled.EMPTY_BUFFER);
        if (version.equals(HttpVersion.HTTP_1_1)) {
            request.headers().set(HttpHeaderNames.HOST, address.getHostString() + ':' + address.getPort());
        }
        request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(request);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (finished) {
                return;
            }
            if (msg instanceof HttpResponse r) {
                if (r.decoderResult().isFailure()) {
                    finish(ctx, false, "Layer7 invalid response");
                    return;
                }
                status = r.status().code();
                phrase = r.status().reasonPhrase();
                if (!needsBody()) {
                    judge(ctx);
                    return;
                }
            }
            if (msg instanceof HttpContent c && status >= 0) {
                int room = MAX_BODY - body.length();
                if (room > 0) {
                    int n = Math.min(room, c.content().readableBytes());
                    body.append(c.content().toString(c.content().readerIndex(), n, StandardCharsets.ISO_8859_1));
                }
                if (c instanceof LastHttpContent || body.length() >= MAX_BODY) {
                    judge(ctx);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!finished) {
            finished = true;
            outcome.done(false, status < 0 ? "Layer7 connection closed before the response"
                    : "Layer7 connection closed before the end of the body");
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!finished) {
            finish(ctx, false, "Layer7 connection problem: " + cause.getMessage());
        } else {
            ctx.close();
        }
    }

    private boolean needsBody() {
        HttpCheckExpect e = target.http().expect();
        return e != null && (e.kind() == HttpCheckExpect.Kind.STRING || e.kind() == HttpCheckExpect.Kind.RSTRING);
    }

    private void judge(ChannelHandlerContext ctx) {
        HttpCheckExpect e = target.http().expect();
        boolean matched;
        String failure;
        if (e == null) {
            matched = status >= 200 && status < 400;
            failure = "Layer7 wrong status " + status;
        } else {
            matched = switch (e.kind()) {
                case STATUS -> HttpCheckExpect.statusMatches(e.pattern(), status);
                case RSTATUS -> target.regex().matcher(Integer.toString(status)).find();
                case STRING -> body.indexOf(e.pattern()) >= 0;
                case RSTRING -> target.regex().matcher(body).find();
            } != e.negated();
            boolean onStatus = e.kind() == HttpCheckExpect.Kind.STATUS || e.kind() == HttpCheckExpect.Kind.RSTATUS;
            failure = onStatus ? "Layer7 wrong status " + status
                    : "Layer7 wrong content: " + (e.negated() ? "found '" : "did not find '") + e.pattern() + "'";
        }
        finish(ctx, matched, matched ? "Layer7 check passed: " + status + ' ' + phrase : failure);
    }

    private void finish(ChannelHandlerContext ctx, boolean passed, String reason) {
        finished = true;
        outcome.done(passed, reason);
        ctx.close();
    }
}
