package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.Server;
import dev.sluice.routing.ServerState;
import dev.sluice.routing.StickyCookie;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class StickyCookiesTest {

    private static final StickyCookie COOKIE = new StickyCookie("SRV", true, true, true, false, false);
    private static final Server A = new Server("b", "a", "127.0.0.1", 1, 1, false, false, 0, new ServerState(), "a1");

    @Test
    void theCookieIsFoundAmongOthers_andRemovedWithoutTouchingThem() {
        HttpHeaders h = new DefaultHttpHeaders().add("Cookie", "lang=en; SRV=a1; theme=dark").add("Cookie", "SRV=x");
        assertThat(StickyCookies.value(h, "SRV")).isEqualTo("a1");
        StickyCookies.remove(h, "SRV");
        assertThat(h.getAll("Cookie")).containsExactly("lang=en; theme=dark");
        assertThat(StickyCookies.value(h, "SRV")).isNull();
    }

    @Test
    void aClientThatNamedTheServer_getsNoNewCookie() {
        HttpHeaders response = new DefaultHttpHeaders();
        StickyCookies.onResponse(COOKIE, A, "a1", response);
        assertThat(response.contains("Set-Cookie")).isFalse();
        StickyCookies.onResponse(COOKIE, A, "zz", response);
        assertThat(response.get("Set-Cookie")).isEqualTo("SRV=a1; path=/");
    }

    @Test
    void nocache_marksOnlyResponsesASharedCacheCouldKeep() {
        HttpHeaders plain = new DefaultHttpHeaders();
        StickyCookies.onResponse(COOKIE, A, null, plain);
        assertThat(plain.contains("Cache-Control")).isFalse();

        HttpHeaders fresh = new DefaultHttpHeaders().add("Cache-Control", "public, max-age=60");
        StickyCookies.onResponse(COOKIE, A, null, fresh);
        assertThat(fresh.get("Cache-Control")).isEqualTo("private");

        HttpHeaders validated = new DefaultHttpHeaders().add("ETag", "\"v1\"");
        StickyCookies.onResponse(COOKIE, A, null, validated);
        assertThat(validated.get("Cache-Control")).isEqualTo("private");

        HttpHeaders noStore = new DefaultHttpHeaders().add("Cache-Control", "no-store");
        StickyCookies.onResponse(COOKIE, A, null, noStore);
        assertThat(noStore.get("Cache-Control")).isEqualTo("no-store");
    }
}
