package dev.sluice.proxy;

import dev.sluice.routing.ClientCertificate;
import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * What a client connection's requests share, computed once per connection rather than per
 * request: the client address (and its text for {@code X-Forwarded-For}), the local port, and
 * whether it is TLS (with its SNI host name and the client's certificate, or null).
 */
record ConnectionInfo(InetAddress client, String clientText, int localPort, String localPortText, boolean tls,
                      String sni, ClientCertificate clientCertificate) {

    static ConnectionInfo of(InetSocketAddress remote, InetSocketAddress local) {
        return of(remote, local, false, null);
    }

    /** @param tls the connection came through a TLS bind; {@code sni} its SNI host name or null */
    static ConnectionInfo of(InetSocketAddress remote, InetSocketAddress local, boolean tls, String sni) {
        InetAddress client = remote.getAddress();
        return new ConnectionInfo(client, ForwardedHeaders.addressText(client), local.getPort(),
                Integer.toString(local.getPort()), tls, sni, null);
    }

    /** A client connection of an HTTP frontend, after its TLS handshake if any (shared by its h2 streams). */
    static ConnectionInfo of(Channel ch) {
        boolean tls = ch.hasAttr(TlsTermination.TLS);
        ConnectionInfo c = of((InetSocketAddress) ch.remoteAddress(), (InetSocketAddress) ch.localAddress(), tls,
                ch.attr(TlsTermination.SNI).get());
        ClientCertificate certificate = tls ? ClientCertificates.of(ch) : null;
        return certificate == null ? c : new ConnectionInfo(c.client, c.clientText, c.localPort, c.localPortText,
                true, c.sni, certificate);
    }
}
