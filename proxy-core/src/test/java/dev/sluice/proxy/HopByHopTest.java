package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.util.List;

class HopByHopTest {

    private static HttpResponse response(HttpVersion version, String... connection) {
        HttpResponse r = new DefaultHttpResponse(version, HttpResponseStatus.OK);
        for (String c : connection) {
            r.headers().add("Connection", c);
        }
        r.headers().add("X-Hop", "1").add("Keep-Alive", "timeout=5").add("Content-Length", "0");
        return r;
    }

    @Test
    void stripResponse_decidesKeepAliveAsNettyDoes_readingConnectionOnce() {
        List<String[]> cases = List.of(new String[0], new String[] {"keep-alive"}, new String[] {"close"},
                new String[] {"Keep-Alive, X-Hop"}, new String[] {"x-a , CLOSE"}, new String[] {"x-hop", "close"},
                new String[] {"keep-alive", "close"}, new String[] {"upgrade"}, new String[] {",,"});
        for (HttpVersion version : List.of(HttpVersion.HTTP_1_1, HttpVersion.HTTP_1_0)) {
            for (String[] connection : cases) {
                HttpResponse r = response(version, connection);
                boolean netty = HttpUtil.isKeepAlive(r);
                boolean ours = HopByHop.keepAlive(HopByHop.stripResponse(r.headers()), version);
                assertThat(ours).as("%s %s", version, List.of(connection)).isEqualTo(netty);
                assertThat(r.headers().contains("Connection")).isFalse();
                assertThat(r.headers().contains("Keep-Alive")).isFalse();
                assertThat(r.headers().get("Content-Length")).isEqualTo("0");
            }
        }
        HttpResponse named = response(HttpVersion.HTTP_1_1, "x-hop");
        HopByHop.stripResponse(named.headers());
        assertThat(named.headers().contains("X-Hop")).isFalse(); // a header named by Connection goes too
    }
}
