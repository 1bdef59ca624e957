package dev.sluice.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * What a client connection's requests share, computed once per connection rather than per
 * request: the client address (and its text for {@code X-Forwarded-For}) and the local port.
 */
record ConnectionInfo(InetAddress client, String clientText, int localPort, String localPortText) {

    static ConnectionInfo of(InetSocketAddress remote, InetSocketAddress local) {
        InetAddress client = remote.getAddress();
        return new ConnectionInfo(client, ForwardedHeaders.addressText(client), local.getPort(),
                Integer.toString(local.getPort()));
    }
}
