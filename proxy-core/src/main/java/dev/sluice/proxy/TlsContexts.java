package dev.sluice.proxy;

import dev.sluice.routing.BindTls;
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

    /**
     * The contexts of an {@code ssl} bind with {@code tls}'s settings ({@code crt}, {@code ca-file},
     * versions, ciphers, ...). Called when a routing table is published, once per bind, on the
     * publishing thread and never on an event loop: it may read files. The default ignores the
     * settings and serves {@link #select} on every bind.
     *
     * @throws IllegalArgumentException naming the file or setting that cannot be used; the table
     *     is then not published
     */
    default TlsContexts forBind(BindTls tls) {
        return this;
    }
}
