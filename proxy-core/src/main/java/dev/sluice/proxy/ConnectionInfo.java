package dev.sluice.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * What a client connection's requests share, computed once per connection rather than per
 * request: the client address (and its text for {@code X-Forwarded-For}), the local port, and
 * whether it is TLS (with its SNI host name).
 */
record ConnectionInfo(InetAddress client, String clientText, int localPort, String localPortText, boolean tls,
                      String sni) {

    static ConnectionInfo of(InetSocketAddress remote, InetSocketAddress local) {
        return of(remote, local, false, null);
    }

    /** @param tls the connection came through a TLS bind; {@code sni} its SNI host name or null */
    static ConnectionInfo of(InetSocketAddress remote, InetSocketAddress local, boolean tls, String sni) {
        InetAddress client = remote.getAddress();
        return new ConnectionInfo(client, ForwardedHeaders.addressText(client), local.getPort(),
                Integer.toString(local.getPort()), tls, sni);
    }
}
