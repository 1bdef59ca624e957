package dev.sluice.proxy;

import dev.sluice.routing.ErrorPages;
import dev.sluice.routing.HttpAction;
import dev.sluice.routing.RegexReplacement;
import dev.sluice.routing.HttpRule;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;

/** Runs {@code http-request} and {@code http-response} rules on a message head. */
final class HttpActions {

    private HttpActions() {
    }

    /**
     * Applies {@code rules} in order to the request of {@code view}. Returns {@code null} to go on,
     * or the final answer of a rule that stops processing (redirect, deny, auth, return); the
     * caller owns that response.
     */
    static FullHttpResponse applyRequestRules(List<HttpRule> rules, HttpRequestView view,
                                              ByteBufAllocator alloc, ErrorPages pages) {
        for (int i = 0; i < rules.size(); i++) {
            HttpRule rule = rules.get(i);
            if (!rule.condition().test(view)) {
                continue;
            }
            FullHttpResponse answer = applyRequest(rule.action(), view.request(), alloc, pages);
            if (answer != null) {
                return answer;
            }
        }
        return null;
    }

    private static FullHttpResponse applyRequest(HttpAction action, HttpRequest request, ByteBufAllocator alloc,
                                                 ErrorPages pages) {
        if (applyHeaderAction(action, request.headers())) {
            return null;
        }
        if (action instanceof HttpAction.SetPath a) {
            request.setUri(a.path() + HttpRequestView.queryOf(request.uri()));
        } else if (action instanceof HttpAction.ReplacePath a) {
            String uri = request.uri();
            String path = HttpRequestView.pathOf(uri);
            Matcher m = a.regex().matcher(path);
            if (m.find()) {
                request.setUri(RegexReplacement.expand(m, a.replacement()) + HttpRequestView.queryOf(uri));
            }
        } else if (action instanceof HttpAction.Redirect a) {
            return redirect(a, request, alloc);
        } else if (action instanceof HttpAction.Deny a) {
            int status = a.status() > 0 ? a.status() : 403;
            return ErrorResponses.response(alloc, status, pages.get(status));
        } else if (action instanceof HttpAction.Auth a) {
            FullHttpResponse r = ErrorResponses.response(alloc, 401, pages.get(401));
            r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"" + a.realm() + '"');
            return r;
        } else if (action instanceof HttpAction.Return a) {
            return returnResponse(a, alloc);
        }
        return null;
    }

    /** Applies {@code http-response} header rules (conditions see the request) to a response head. */
    static void applyResponseRules(List<HttpRule> rules, HttpRequestView view, HttpHeaders headers) {
        for (int i = 0; i < rules.size(); i++) {
            HttpRule rule = rules.get(i);
            if (!rule.condition().test(view)) {
                continue;
            }
            applyHeaderAction(rule.action(), headers);
        }
    }

    /** Runs a header action (set, add, del, replace); false when {@code action} is another kind. */
    private static boolean applyHeaderAction(HttpAction action, HttpHeaders headers) {
        if (action instanceof HttpAction.SetHeader a) {
            headers.set(a.name(), a.value());
        } else if (action instanceof HttpAction.AddHeader a) {
            headers.add(a.name(), a.value());
        } else if (action instanceof HttpAction.DelHeader a) {
            headers.remove(a.name());
        } else if (action instanceof HttpAction.ReplaceHeader a) {
            replaceHeader(headers, a);
        } else {
            return false;
        }
        return true;
    }

    private static void replaceHeader(HttpHeaders headers, HttpAction.ReplaceHeader a) {
        List<String> values = headers.getAll(a.name());
        if (values.isEmpty()) {
            return;
        }
        headers.remove(a.name());
        for (String value : values) {
            Matcher m = a.regex().matcher(value);
            headers.add(a.name(), m.find() ? RegexReplacement.expand(m, a.replacement()) : value);
        }
    }

    private static FullHttpResponse redirect(HttpAction.Redirect a, HttpRequest request, ByteBufAllocator alloc) {
        int code = a.code() > 0 ? a.code() : 302;
        String location;
        switch (a.kind()) {
            case SCHEME -> {
                String host = request.headers().get(HttpHeaderNames.HOST, "");
                if (a.value().equalsIgnoreCase("https") && host.endsWith(":80")) {
                    host = host.substring(0, host.length() - 3);
                } else if (a.value().equalsIgnoreCase("http") && host.endsWith(":443")) {
                    host = host.substring(0, host.length() - 4);
                }
                location = a.value() + "://" + host + request.uri();
            }
            case PREFIX -> {
                String prefix = a.value();
                location = "/".equals(prefix) ? request.uri() : prefix + request.uri();
            }
            default -> location = a.value();
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(code), alloc.buffer(0, 0));
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0)
                .set(HttpHeaderNames.LOCATION, location);
        if (code != 301 && code != 308) {
            // as HAProxy: a temporary redirect must not be cached; a permanent one may be
            r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        }
        return r;
    }

    private static FullHttpResponse returnResponse(HttpAction.Return a, ByteBufAllocator alloc) {
        String body = a.body() == null ? "" : a.body();
        ByteBuf content = alloc.buffer(body.length());
        content.writeCharSequence(body, StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(a.status()), content);
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        if (a.contentType() != null && content.isReadable()) {
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, a.contentType());
        }
        return r;
    }
}
