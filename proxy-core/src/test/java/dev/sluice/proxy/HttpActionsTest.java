package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.Condition;
import dev.sluice.routing.HttpAction;
import dev.sluice.routing.HttpRule;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

/** http-request and http-response actions, run by the data plane on real requests. */
class HttpActionsTest extends DataPlaneTest {

    private void start(List<HttpRule> request, List<HttpRule> response) throws Exception {
        start(Tables.builder().server(backend.port()).requestRules(request).responseRules(response));
    }

    private static HttpRule when(String pathPrefix, HttpAction action) {
        Condition c = r -> r.path().startsWith(pathPrefix);
        return new HttpRule(action, c);
    }

    @Test
    void headerAndPathRewrites_reachTheBackend() throws Exception {
        start(List.of(
                new HttpRule(new HttpAction.SetHeader("X-Set", "s"), Condition.ALWAYS),
                new HttpRule(new HttpAction.AddHeader("X-Add", "a"), Condition.ALWAYS),
                new HttpRule(new HttpAction.DelHeader("X-Drop"), Condition.ALWAYS),
                new HttpRule(new HttpAction.ReplaceHeader("X-Rep", Pattern.compile("v(\\d+)"), "version-\\1"), Condition.ALWAYS),
                when("/old/", new HttpAction.ReplacePath(Pattern.compile("^/old/(.*)"), "/new/\\1")),
                when("/fixed", new HttpAction.SetPath("/set"))), List.of());
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("GET /old/thing?q=1 HTTP/1.1\r\nHost: h\r\nX-Drop: x\r\nX-Rep: v42\r\nX-Add: first\r\n\r\n");
            String body = c.read().bodyText();
            assertThat(body).contains("uri=/new/thing?q=1", "x-set: s", "x-add: first", "x-add: a", "x-rep: version-42")
                    .doesNotContain("x-drop");
            assertThat(c.get("/fixed?k=v").bodyText()).contains("uri=/set?k=v");
        }
    }

    @Test
    void redirects_answerWithLocationAndCode() throws Exception {
        start(List.of(
                when("/s", new HttpAction.Redirect(HttpAction.Redirect.Kind.SCHEME, "https", 301)),
                when("/p", new HttpAction.Redirect(HttpAction.Redirect.Kind.PREFIX, "https://other.example", 0)),
                when("/l", new HttpAction.Redirect(HttpAction.Redirect.Kind.LOCATION, "https://x.example/login", 303))),
                List.of());
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("GET /s/a?b=1 HTTP/1.1\r\nHost: shop.example\r\n\r\n");
            RawHttpClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(301);
            assertThat(r.header("location")).isEqualTo("https://shop.example/s/a?b=1");
            RawHttpClient.Response p = c.get("/p/x");
            assertThat(p.status()).isEqualTo(302);
            assertThat(p.header("location")).isEqualTo("https://other.example/p/x");
            RawHttpClient.Response l = c.get("/l");
            assertThat(l.status()).isEqualTo(303);
            assertThat(l.header("location")).isEqualTo("https://x.example/login");
        }
        assertThat(backend.requests()).isZero();
    }

    @Test
    void denyAuthAndReturn_answerWithoutTheBackend() throws Exception {
        start(List.of(
                when("/deny", new HttpAction.Deny(0)),
                when("/teapot", new HttpAction.Deny(418)),
                when("/auth", new HttpAction.Auth("Private area")),
                when("/ret", new HttpAction.Return(200, "text/plain", "hello"))), List.of());
        try (RawHttpClient c = new RawHttpClient(port)) {
            assertThat(c.get("/deny").status()).isEqualTo(403);
            assertThat(c.get("/teapot").status()).isEqualTo(418);
            RawHttpClient.Response auth = c.get("/auth");
            assertThat(auth.status()).isEqualTo(401);
            assertThat(auth.header("www-authenticate")).isEqualTo("Basic realm=\"Private area\"");
            RawHttpClient.Response ret = c.get("/ret");
            assertThat(ret.status()).isEqualTo(200);
            assertThat(ret.bodyText()).isEqualTo("hello");
            assertThat(ret.header("content-type")).isEqualTo("text/plain");
            assertThat(c.get("/pass").header("x-server")).isEqualTo("b1");
        }
        assertThat(backend.requests()).isEqualTo(1);
    }

    @Test
    void responseRules_changeTheResponseHeaders() throws Exception {
        start(List.of(), List.of(
                new HttpRule(new HttpAction.SetHeader("X-Frame-Options", "DENY"), Condition.ALWAYS),
                new HttpRule(new HttpAction.DelHeader("X-Server"), r -> r.path().startsWith("/hide")),
                new HttpRule(new HttpAction.AddHeader("X-Extra", "1"), Condition.ALWAYS)));
        try (RawHttpClient c = new RawHttpClient(port)) {
            RawHttpClient.Response r = c.get("/show");
            assertThat(r.header("x-frame-options")).isEqualTo("DENY");
            assertThat(r.header("x-server")).isEqualTo("b1");
            assertThat(r.header("x-extra")).isEqualTo("1");
            assertThat(c.get("/hide").header("x-server")).isNull();
        }
    }
}
