package dev.sluice.proxy;

import io.netty.handler.ssl.SslContext;

/**
 * Where TLS binds get their server contexts: the certificate for a client's SNI host name, or
 * the default for a client that sends none. Called on an event loop for every handshake: it
 * must not block (the tls module answers from an immutable snapshot).
 */
@FunctionalInterface
public interface TlsContexts {

    /** The context for {@code sniHostName}; {@code null} for a client without SNI. Never returns null. */
    SslContext select(String sniHostName);
}
