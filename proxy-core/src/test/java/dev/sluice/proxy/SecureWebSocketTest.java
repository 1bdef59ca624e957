package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.Bind;
import dev.sluice.routing.RoutingCompiler;
import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.ProxyConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An upgraded connection on a TLS bind stays enciphered towards the client once it is a tunnel. */
class SecureWebSocketTest {

    @Test
    void webSocketOverTls_echoesThroughTheProxy() throws Exception {
        SelfSignedCertificate cert = new SelfSignedCertificate("ws.test");
        try (TestBackend backend = TestBackend.start("ws")) {
            SslContext context = SslContextBuilder.forServer(cert.certificate(), cert.privateKey()).build();
            String text = "defaults\n mode http\n timeout connect 2s\n timeout client 10s\n timeout server 10s\n"
                    + "frontend fe\n default_backend app\nbackend app\n server a 127.0.0.1:" + backend.port() + "\n";
            ProxyConfig config = ConfigParser.parse(text, "wss.cfg", Path.of(".")).config()
                    .withBinds("fe", List.of(new Bind("127.0.0.1", 0, true)));
            ProxyServer proxy = ProxyServer.start(RoutingCompiler.compile(config, null), 1, sni -> context);
            try {
                LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
                WebSocket ws = HttpClient.newBuilder().sslContext(TrustAll.context()).build().newWebSocketBuilder()
                        .buildAsync(URI.create("wss://127.0.0.1:" + proxy.ports("fe").get(0) + "/ws"),
                                new WebSocket.Listener() {
                                    @Override
                                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                                        received.add(data.toString());
                                        w.request(1);
                                        return CompletableFuture.completedFuture(null);
                                    }
                                }).get(10, TimeUnit.SECONDS);
                ws.sendText("one", true).get(5, TimeUnit.SECONDS);
                assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("echo:one");
                ws.sendText("two", true).get(5, TimeUnit.SECONDS);
                assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("echo:two");
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
            } finally {
                proxy.close();
                cert.delete();
            }
        }
    }
}
