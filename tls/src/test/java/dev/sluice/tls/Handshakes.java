package dev.sluice.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLSession;

/** A real TLS handshake between a client engine and a server engine, in memory. */
final class Handshakes {

    /** What the client saw. */
    record Result(X509Certificate serverCertificate, String protocol, String applicationProtocol) {}

    private Handshakes() {}

    static Result handshake(SslContext server, String sniHostName) throws Exception {
        SslContext client = SslContextBuilder.forClient()
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, "h2", "http/1.1"))
                .build();
        SSLEngine clientEngine = client.newEngine(ByteBufAllocator.DEFAULT, sniHostName, 443);
        SSLEngine serverEngine = server.newEngine(ByteBufAllocator.DEFAULT);
        clientEngine.beginHandshake();
        serverEngine.beginHandshake();
        ByteBuffer toServer = ByteBuffer.allocate(1 << 17);
        ByteBuffer toClient = ByteBuffer.allocate(1 << 17);
        ByteBuffer application = ByteBuffer.allocate(1 << 17);
        for (int i = 0; i < 200 && !(done(clientEngine) && done(serverEngine)); i++) {
            clientEngine.wrap(ByteBuffer.allocate(0), toServer);
            runTasks(clientEngine);
            unwrapAll(serverEngine, toServer, application);
            serverEngine.wrap(ByteBuffer.allocate(0), toClient);
            runTasks(serverEngine);
            unwrapAll(clientEngine, toClient, application);
        }
        if (!(done(clientEngine) && done(serverEngine))) {
            throw new IllegalStateException("the handshake did not finish: client " + clientEngine.getHandshakeStatus()
                    + ", server " + serverEngine.getHandshakeStatus());
        }
        SSLSession session = clientEngine.getSession();
        return new Result((X509Certificate) session.getPeerCertificates()[0], session.getProtocol(),
                clientEngine.getApplicationProtocol());
    }

    private static boolean done(SSLEngine engine) {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
    }

    private static void unwrapAll(SSLEngine engine, ByteBuffer in, ByteBuffer application) throws Exception {
        in.flip();
        while (in.hasRemaining()) {
            int consumed = engine.unwrap(in, application).bytesConsumed();
            runTasks(engine);
            if (consumed == 0) {
                break;
            }
        }
        in.compact();
        application.clear();
    }

    private static void runTasks(SSLEngine engine) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }
}
