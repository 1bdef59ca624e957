package dev.sluice.app;

import static java.util.Objects.requireNonNull;

import dev.sluice.proxy.TlsContexts;
import dev.sluice.routing.BindTls;
import dev.sluice.routing.BindTls.CertFile;
import dev.sluice.tls.BindContexts;
import dev.sluice.tls.CertificateStore;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The contexts of each {@code ssl} bind: the certificate store's as they are for a bind without
 * TLS options (as in Docker Flow Proxy), else built from the bind's settings once per distinct
 * settings and file contents (a reload that changed a certificate file rebuilds them), and for
 * binds on the store's certificates again after every {@code PUT cert}. Handshakes only read.
 */
final class BindTlsSetup implements TlsContexts {

    private final CertificateStore store;
    private final List<String> alpn;
    private final PrintStream log;
    /** By settings; written by the publishing thread (ProxyServer.update is serialized) and the store's writer. */
    private final Map<BindTls, Built> built = new ConcurrentHashMap<>();

    BindTlsSetup(CertificateStore store, List<String> alpn, PrintStream log) {
        this.store = requireNonNull(store, "store");
        this.alpn = List.copyOf(alpn);
        this.log = requireNonNull(log, "log");
        store.addListener(certificate -> rebuildStoreBinds());
    }

    @Override
    public SslContext select(String sniHostName) {
        return sniHostName == null ? store.defaultContext() : store.select(sniHostName);
    }

    @Override
    public TlsContexts forBind(BindTls tls) {
        if (tls == null || tls.equals(BindTls.DEFAULT)) {
            return this;
        }
        String fingerprint = fingerprint(tls);
        Built b = built.get(tls);
        if (b == null || !b.fingerprint.equals(fingerprint)) {
            b = new Built(tls, build(tls), fingerprint);
            built.put(tls, b);
        }
        return b;
    }

    private BindContexts build(BindTls tls) {
        return tls.usesStore() ? BindContexts.fromStore(tls, store, alpn)
                : BindContexts.load(tls, alpn, w -> log.println("warning: " + w));
    }

    private void rebuildStoreBinds() {
        for (Built b : built.values()) {
            if (b.tls.usesStore()) {
                try {
                    b.contexts = build(b.tls);
                } catch (IllegalArgumentException e) {
                    log.println("warning: an ssl bind keeps its previous certificates: " + e.getMessage());
                }
            }
        }
    }

    /** Names, sizes and modification times of the files the settings name: changes when a file does. */
    private static String fingerprint(BindTls tls) {
        StringBuilder out = new StringBuilder();
        for (CertFile c : tls.certificates()) {
            describe(c.path(), out);
        }
        if (tls.caFile() != null) {
            describe(tls.caFile(), out);
        }
        return out.toString();
    }

    private static void describe(Path path, StringBuilder out) {
        try {
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.list(path)) {
                    for (Path f : files.sorted().toList()) {
                        out.append(f).append(' ').append(Files.size(f)).append(' ')
                                .append(Files.getLastModifiedTime(f)).append('\n');
                    }
                }
            } else {
                out.append(path).append(' ').append(Files.size(path)).append(' ')
                        .append(Files.getLastModifiedTime(path)).append('\n');
            }
        } catch (IOException | RuntimeException e) {
            out.append(path).append(" unreadable\n");
        }
    }

    /** One bind's contexts; replaced whole when rebuilt. */
    private static final class Built implements TlsContexts {
        final BindTls tls;
        final String fingerprint;
        volatile BindContexts contexts;

        Built(BindTls tls, BindContexts contexts, String fingerprint) {
            this.tls = tls;
            this.contexts = contexts;
            this.fingerprint = fingerprint;
        }

        @Override
        public SslContext select(String sniHostName) {
            return contexts.select(sniHostName);
        }
    }
}
