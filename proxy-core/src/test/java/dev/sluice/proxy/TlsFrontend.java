package dev.sluice.proxy;

import dev.sluice.routing.Bind;
import dev.sluice.routing.RoutingCompiler;
import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.ProxyConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * A proxy in front of one {@link TestBackend} ("app"), with a TLS bind that offers h2 and
 * http/1.1 by ALPN (a self-signed certificate for h2.test) and, if asked, a plain bind too. Its
 * {@code defaults} are the given timeout lines.
 */
final class TlsFrontend implements AutoCloseable {

    final TestBackend backend;
    final ProxyServer proxy;
    /** The TLS bind's port. */
    final int tlsPort;
    /** The plain bind's port, or -1. */
    final int plainPort;
    private final SelfSignedCertificate cert;

    /** @param timeouts lines such as {@code " timeout client 10s\n"}, added to {@code defaults} */
    static TlsFrontend start(String timeouts, boolean plainBind) throws Exception {
        return new TlsFrontend(timeouts, plainBind);
    }

    private TlsFrontend(String timeouts, boolean plainBind) throws Exception {
        backend = TestBackend.start("app");
        cert = new SelfSignedCertificate("h2.test");
        SslContext tls = alpnServerContext(cert);
        String text = "defaults\n mode http\n timeout connect 2s\n" + timeouts
                + "frontend fe\n default_backend app\n"
                + "backend app\n server a 127.0.0.1:" + backend.port() + "\n";
        List<Bind> binds = new ArrayList<>(List.of(new Bind("127.0.0.1", 0, true)));
        if (plainBind) {
            binds.add(new Bind("127.0.0.1", 0, false));
        }
        ProxyConfig config = ConfigParser.parse(text, "tls-frontend.cfg", Path.of(".")).config().withBinds("fe", binds);
        proxy = ProxyServer.start(RoutingCompiler.compile(config, null), 1, sni -> tls);
        tlsPort = proxy.ports("fe").get(0);
        plainPort = plainBind ? proxy.ports("fe").get(1) : -1;
    }

    /** A server context for {@code cert} that offers h2 and http/1.1 by ALPN, as Sluice's TLS binds do. */
    static SslContext alpnServerContext(SelfSignedCertificate cert) throws SSLException {
        return SslContextBuilder.forServer(cert.certificate(), cert.privateKey())
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, "h2", "http/1.1"))
                .build();
    }

    @Override
    public void close() {
        proxy.close();
        backend.close();
        cert.delete();
    }
}
