package dev.sluice.proxy;

import dev.sluice.routing.Backend;
import dev.sluice.routing.RoutingTable;
import dev.sluice.routing.Server;
import dev.sluice.routing.config.ServerTlsConfig;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.AttributeKey;
import java.io.File;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * TLS to origin servers ({@code server ... ssl}): the client {@link SslContext} of each distinct set
 * of options, built once when a routing table is installed (never on an event loop, never per
 * connection), and the {@link SslHandler} of each new origin connection. The handshake is part of
 * the connect: a connection is reported ready only once it is done and the server's name checked,
 * and a failed handshake is reported like a refused connect (retries, redispatch, 503).
 */
public final class OriginTls {

    /** The SNI a pooled connection was opened with ({@code sni req.hdr(host)}: reused only for that name). */
    static final AttributeKey<String> SNI = AttributeKey.valueOf("sluice.originSni");

    /** Per {@link ServerTlsConfig#contextKey()}: the context, or why it could not be built (a String). */
    private volatile Map<ServerTlsConfig, Object> contexts = Map.of();

    /**
     * Builds the contexts the servers of {@code table} need, reusing those whose options did not
     * change. Reads files: call it where blocking is allowed, before the table is published.
     */
    public void prepare(RoutingTable table) {
        Map<ServerTlsConfig, Object> old = contexts;
        Map<ServerTlsConfig, Object> next = new HashMap<>();
        for (Backend b : table.backends().values()) {
            for (Server s : b.servers()) {
                if (s.tls().usesTls()) {
                    next.computeIfAbsent(s.tls().contextKey(), k -> old.containsKey(k) ? old.get(k) : build(k));
                }
            }
        }
        contexts = Map.copyOf(next);
    }

    private static Object build(ServerTlsConfig key) {
        try {
            return newClientContext(key);
        } catch (Exception | LinkageError e) {
            return "cannot set up TLS to the server: " + (e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    /** The context of {@code tls} ({@link #prepare}d); throws with the reason when it could not be built. */
    public SslContext context(ServerTlsConfig tls) throws SSLException {
        Object c = contexts.get(tls.contextKey());
        if (c instanceof SslContext ctx) {
            return ctx;
        }
        throw new SSLException(c == null ? "no TLS context prepared for this server" : (String) c);
    }

    /**
     * A client context: trusts {@code ca-file} (the JDK's trust store for {@code @system-ca}) or,
     * with {@code verify none}, anything; presents {@code crt} (one PEM file holding the
     * certificate chain and the key). OpenSSL (BoringSSL) when netty-tcnative is there, else the JDK.
     */
    public static SslContext newClientContext(ServerTlsConfig key) throws SSLException {
        SslContextBuilder b = SslContextBuilder.forClient()
                .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                // the name is checked after the handshake (HostNames), against the SNI or verifyhost
                // as HAProxy does, not against the address connected to
                .endpointIdentificationAlgorithm(null);
        if (!key.verifies()) {
            b.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else if (key.caFile() != null && !ServerTlsConfig.SYSTEM_CA.equals(key.caFile())) {
            b.trustManager(new File(key.caFile()));
        }
        if (key.crt() != null) {
            b.keyManager(new File(key.crt()), new File(key.crt()));
        }
        return b.build();
    }

    /**
     * The handler of a new connection: sends {@code sni} (none when {@code null}, as HAProxy) and
     * gives up the handshake after {@code timeoutMs} (the connect timeout; 0: none).
     */
    public static SslHandler newHandler(SslContext context, ByteBufAllocator alloc, String sni, long timeoutMs) {
        SslHandler h = context.newHandler(alloc);
        SSLEngine engine = h.engine();
        SSLParameters p = engine.getSSLParameters();
        p.setServerNames(sni == null ? List.of() : sniHostName(sni));
        engine.setSSLParameters(p);
        h.setHandshakeTimeoutMillis(timeoutMs > 0 ? timeoutMs : 0);
        return h;
    }

    /** {@code name} as an SNI entry; none when it is no valid host name (the name check then fails). */
    private static List<javax.net.ssl.SNIServerName> sniHostName(String name) {
        try {
            return List.of(new SNIHostName(name));
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    /**
     * The name the server's certificate must hold (HAProxy: the SNI sent, else {@code verifyhost});
     * {@code null} when no name is checked ({@code verify none}, or neither is set).
     */
    public static String nameToVerify(ServerTlsConfig tls, String sni) {
        if (!tls.verifies()) {
            return null;
        }
        return sni != null ? sni : tls.verifyHost();
    }

    /**
     * The SNI of a connection to {@code tls}'s server for a request with Host {@code host} ({@code null}:
     * none). HAProxy sends the Host value as it is, port included, which is no valid SNI and which
     * no certificate matches; Sluice leaves the port out.
     */
    static String sni(ServerTlsConfig tls, String host) {
        if (tls.sniFromHost()) {
            return host == null || host.isEmpty() ? null : hostWithoutPort(host);
        }
        return tls.fixedSni();
    }

    private static String hostWithoutPort(String host) {
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return close < 0 ? host : host.substring(1, close);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    /**
     * {@code next} once the TCP connect AND the TLS handshake are done (and the certificate holds
     * {@code verifyName}): a failed handshake completes it like a failed connect, the channel closed.
     * Create it just before connecting: {@code connectMs} (0: none) covers the connect and the handshake.
     */
    public static ChannelFutureListener afterHandshake(String verifyName, long connectMs, ChannelFutureListener next) {
        long start = System.nanoTime();
        return f -> {
            if (!f.isSuccess()) {
                next.operationComplete(f);
                return;
            }
            Channel ch = f.channel();
            SslHandler ssl = ch.pipeline().get(SslHandler.class);
            if (connectMs > 0) {
                // the connect promise completes before channelActive starts the handshake
                long left = connectMs - (System.nanoTime() - start) / 1_000_000;
                ssl.setHandshakeTimeoutMillis(Math.max(1, left));
            }
            ssl.handshakeFuture().addListener(h -> {
                ChannelPromise p = ch.newPromise();
                Throwable cause = h.isSuccess() ? HostNames.check(ssl, verifyName) : h.cause();
                if (cause == null) {
                    p.setSuccess();
                } else {
                    p.setFailure(cause);
                    ch.close();
                }
                next.operationComplete(p);
            });
        };
    }

    /** Whether a connect failed in the TLS handshake rather than in TCP. */
    public static boolean isHandshakeFailure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLException || t instanceof javax.net.ssl.SSLHandshakeException) {
                return true;
            }
        }
        return false;
    }

    /** Why a handshake failed, as HAProxy's "SSL handshake failure" plus the reason. */
    static String describe(String target, Throwable cause) {
        return "Layer6 SSL handshake failure with " + target + ": " + rootMessage(cause);
    }

    /** The message of the innermost cause (the TLS alert or the verification failure). */
    public static String rootMessage(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** The certificate name check of {@code verify required} with {@code sni} or {@code verifyhost}. */
    static final class HostNames {

        private HostNames() {
        }

        /** {@code null} when the peer's certificate holds {@code name} (or there is no name to check). */
        static Throwable check(SslHandler ssl, String name) {
            if (name == null) {
                return null;
            }
            try {
                Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
                if (chain.length > 0 && chain[0] instanceof X509Certificate x && matches(x, name)) {
                    return null;
                }
            } catch (SSLPeerUnverifiedException e) {
                return e;
            }
            return new SSLPeerUnverifiedException("the server's certificate does not match the name '" + name + "'");
        }

        /** SAN DNS names (else the CN), with a leftmost-label wildcard; SAN IP addresses for an IP literal. */
        static boolean matches(X509Certificate cert, String name) {
            String host = name.toLowerCase(java.util.Locale.ROOT);
            boolean anyDns = false;
            try {
                var sans = cert.getSubjectAlternativeNames();
                if (sans != null) {
                    for (List<?> san : sans) {
                        int type = (Integer) san.get(0);
                        String v = String.valueOf(san.get(1));
                        if (type == 2) {
                            anyDns = true;
                            if (dnsMatches(v, host)) {
                                return true;
                            }
                        } else if (type == 7 && v.equalsIgnoreCase(host)) {
                            return true;
                        }
                    }
                }
            } catch (java.security.cert.CertificateParsingException e) {
                return false;
            }
            if (anyDns) {
                return false;
            }
            String dn = cert.getSubjectX500Principal().getName();
            for (String rdn : dn.split(",")) {
                if (rdn.startsWith("CN=") && dnsMatches(rdn.substring(3), host)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean dnsMatches(String pattern, String host) {
            String p = pattern.toLowerCase(java.util.Locale.ROOT);
            if (!p.startsWith("*.")) {
                return p.equals(host);
            }
            int dot = host.indexOf('.');
            return dot > 0 && host.substring(dot).equals(p.substring(1));
        }
    }
}
