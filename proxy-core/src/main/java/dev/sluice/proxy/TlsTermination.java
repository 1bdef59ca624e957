package dev.sluice.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AttributeKey;

/**
 * The first handler of a TLS bind: reads the ClientHello's SNI, picks the certificate from
 * {@link TlsContexts}, and replaces itself with the SslHandler. The host name stays on the
 * channel for {@code ssl_fc_sni}/{@code req.ssl_sni} ACLs.
 */
final class TlsTermination extends SniHandler {

    /** The SNI host name of a TLS client connection (absent without SNI). */
    static final AttributeKey<String> SNI = AttributeKey.valueOf("sluice.sni");
    /** Set on every connection of a TLS bind. */
    static final AttributeKey<Boolean> TLS = AttributeKey.valueOf("sluice.tls");

    TlsTermination(TlsContexts contexts) {
        super(contexts::select);
    }

    @Override
    protected void replaceHandler(ChannelHandlerContext ctx, String hostname, SslContext sslContext) throws Exception {
        if (hostname != null) {
            ctx.channel().attr(SNI).set(hostname);
        }
        super.replaceHandler(ctx, hostname, sslContext);
    }
}
