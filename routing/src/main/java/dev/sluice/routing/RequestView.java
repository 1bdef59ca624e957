package dev.sluice.routing;

import java.net.InetAddress;
import java.util.List;

/**
 * What routing may look at in a request. proxy-core implements it over the decoded request head
 * (HTTP) or over the connection alone (TCP, where the HTTP accessors return {@code null}).
 * Implementations must be cheap: ACLs call these methods on the event loop, per request.
 */
public interface RequestView {

    /** The method as sent (e.g. {@code GET}), or {@code null} in tcp mode. */
    String method();

    /** The request target as sent (path and query, or absolute form), or {@code null} in tcp mode. */
    String uri();

    /** The path part of the request target, without the query string, or {@code null} in tcp mode. */
    String path();

    /**
     * Every value of header {@code name} (case-insensitive) in the order received, one entry per
     * header line, not split on commas. Empty when absent or in tcp mode.
     */
    List<String> headerLines(String name);

    /** The client's address (the peer of the accepted connection). */
    InetAddress clientAddress();

    /** The local port the client connected to (HAProxy's {@code dst_port}). */
    int localPort();

    /** The TLS server name the client sent, or {@code null} without TLS or SNI. */
    String sni();

    /**
     * Whether the client connection is TLS (HAProxy's {@code ssl_fc}). The default guesses from
     * SNI; proxy-core overrides it with the listener's real state.
     */
    default boolean isTls() {
        return sni() != null;
    }

    /**
     * HAProxy's {@code req.ssl_hello_type}: the handshake type of the first TLS record the client
     * sent ({@code 1} for a ClientHello), read without deciphering it; {@code -1} when there is
     * none (no data yet, not TLS, or not a tcp frontend that inspects its content).
     */
    default int sslHelloType() {
        return -1;
    }

    /**
     * Whether the client's first TLS record may still arrive ({@code tcp-request inspect-delay}
     * running, neither complete nor refuted yet): fetches that read it have no final sample yet.
     */
    default boolean helloPending() {
        return false;
    }

    /**
     * The certificate the TLS client presented and how it verified (HAProxy's {@code ssl_c_*}),
     * or {@code null} when it presented none or the connection is not TLS.
     */
    default ClientCertificate clientCertificate() {
        return null;
    }
}
