package dev.sluice.proxy;

import dev.sluice.routing.RoutingTable;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

/** What a request head must pass before any rule sees it, with HAProxy's answers. */
final class RequestChecks {

    private RequestChecks() {
    }

    /**
     * The status Sluice answers instead of routing {@code request} (then the connection closes),
     * or 0 when it may be routed: 400 for what did not parse or an invalid request target, 414 for
     * a too long request line, 431 for too many or too long headers, 413 for another size limit.
     */
    static int refusal(HttpRequest request, RoutingTable table) {
        if (request.decoderResult().isFailure()) {
            Throwable cause = request.decoderResult().cause();
            if (cause instanceof TooLongHttpLineException) {
                return 414;
            }
            if (cause instanceof TooLongHttpHeaderException) {
                return 431;
            }
            return cause instanceof TooLongFrameException ? 413 : 400;
        }
        if (!RequestTarget.isValid(request)) {
            return 400;
        }
        if (request.headers().size() > table.limits().maxHeaders()) {
            return 431;
        }
        return 0;
    }
}
