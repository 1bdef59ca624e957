package dev.sluice.proxy;

import dev.sluice.routing.Backend;
import dev.sluice.routing.Frontend;
import dev.sluice.routing.Server;
import dev.sluice.routing.StickyCookie;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;

/**
 * What happens to a request before anything is forwarded, in HAProxy's order: {@code monitor-uri},
 * the frontend's {@code http-request} rules, {@code use_backend}, the backend's rules, then the
 * balancer. The outcome is either an answer Sluice gives itself or a backend and a server.
 *
 * @param answer            the local answer (the caller owns it), or {@code null} to forward
 * @param backendRulesApply whether the backend's rules ran (not for the two halves of a listen,
 *                          whose rules are one list, run once)
 * @param cookieValue       the request's persistence cookie for the backend, or {@code null}
 */
record Admission(FullHttpResponse answer, Backend backend, Server server, boolean backendRulesApply,
                 String cookieValue) {

    static Admission decide(Frontend frontend, HttpRequestView view, ByteBufAllocator alloc) {
        if (frontend.monitorUri() != null && frontend.monitorUri().equals(view.uri())) {
            // HAProxy's monitor-uri: a load balancer's probe, answered before any rule.
            return answer(ErrorResponses.response(alloc, 200, null), null);
        }
        FullHttpResponse answer = HttpActions.applyRequestRules(frontend.requestRules(), view, alloc, frontend.errorPages());
        if (answer != null) {
            return answer(answer, null);
        }
        Backend backend = frontend.select(view);
        if (backend == null) {
            return answer(error(alloc, 503, frontend, null), null);
        }
        boolean backendRulesApply = !frontend.sharesRulesWith(backend);
        if (backendRulesApply) {
            answer = HttpActions.applyRequestRules(backend.requestRules(), view, alloc, backend.errorPages());
            if (answer != null) {
                return answer(answer, backend);
            }
        }
        Server server = null;
        String value = null;
        StickyCookie cookie = backend.cookie();
        if (cookie != null) {
            value = StickyCookies.value(view.request().headers(), cookie.name());
            if (value != null) {
                server = backend.stickyServer(value);
                if (cookie.insert() && cookie.indirect()) {
                    StickyCookies.remove(view.request().headers(), cookie.name());
                }
            }
        }
        if (server == null) {
            server = backend.pick(view, null);
        }
        if (server == null) {
            return answer(error(alloc, 503, frontend, backend), backend);
        }
        return new Admission(null, backend, server, backendRulesApply, value);
    }

    private static Admission answer(FullHttpResponse answer, Backend backend) {
        return new Admission(answer, backend, null, false, null);
    }

    /** Sluice's own error page for {@code status}, or the {@code errorfile} of the backend or frontend. */
    static FullHttpResponse error(ByteBufAllocator alloc, int status, Frontend frontend, Backend backend) {
        byte[] page = backend == null ? null : backend.errorPages().get(status);
        if (page == null) {
            page = frontend.errorPages().get(status);
        }
        return ErrorResponses.response(alloc, status, page);
    }
}
