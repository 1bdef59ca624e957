package dev.sluice.tls;

import static java.util.Objects.requireNonNull;

import dev.sluice.routing.BindTls;
import dev.sluice.routing.BindTls.CertFile;
import dev.sluice.tls.Snapshot.Entry;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;

/**
 * The server contexts of one {@code ssl} bind with its own settings ({@code crt}, {@code crt-list},
 * {@code ca-file}/{@code verify}, versions, ciphers, ALPN, {@code strict-sni}): built once, when a
 * configuration is applied, then read without a lock at every handshake.
 */
public final class BindContexts {

    private final Snapshot snapshot;
    private final boolean strictSni;

    private BindContexts(Snapshot snapshot, boolean strictSni) {
        this.snapshot = snapshot;
        this.strictSni = strictSni;
    }

    /**
     * The certificates the bind names ({@code crt} files and directories, {@code crt-list}
     * lines), in order: the first is the default, the others are chosen by SNI as the store does.
     *
     * @param alpn the ALPN protocols when the bind names none
     * @throws IllegalArgumentException naming the file that cannot be read or used, and why
     */
    public static BindContexts load(BindTls tls, List<String> alpn, Consumer<String> warnings) {
        requireNonNull(tls, "tls");
        if (tls.usesStore()) {
            throw new IllegalArgumentException("the bind names no crt (expected fromStore)");
        }
        List<X509Certificate> cas = caFile(tls);
        List<Entry> entries = new ArrayList<>();
        for (CertFile source : tls.certificates()) {
            for (Path file : files(source.path())) {
                TlsCertificate certificate = read(file, warnings);
                if (!source.sniFilters().isEmpty()) {
                    certificate = new TlsCertificate(certificate.name(), certificate.chain(), certificate.key(),
                            source.sniFilters(), certificate.notAfter());
                }
                entries.add(new Entry(certificate, context(certificate, tls, alpn, cas, file)));
            }
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("crt " + tls.certificates().get(0).path() + ": no certificate in it");
        }
        return new BindContexts(new Snapshot(entries), tls.strictSni());
    }

    /** The store's certificates (CERTS_DIR, secrets) served with the bind's settings. */
    public static BindContexts fromStore(BindTls tls, CertificateStore store, List<String> alpn) {
        requireNonNull(tls, "tls");
        requireNonNull(store, "store");
        List<X509Certificate> cas = caFile(tls);
        List<Entry> entries = new ArrayList<>();
        for (TlsCertificate certificate : store.certificates()) {
            entries.add(new Entry(certificate, context(certificate, tls, alpn, cas, Path.of(certificate.name()))));
        }
        return new BindContexts(new Snapshot(entries), tls.strictSni());
    }

    /**
     * The context for a client's SNI host name (null: none sent): the certificate naming it, else
     * the first one; with {@code strict-sni} a name no certificate has is refused.
     *
     * @throws IllegalArgumentException with strict-sni, when no certificate names the host: the handshake fails
     */
    public SslContext select(String sniHostName) {
        Entry entry = snapshot.match(sniHostName);
        if (entry != null) {
            return entry.context();
        }
        if (strictSni) {
            throw new IllegalArgumentException("strict-sni: no certificate for "
                    + (sniHostName == null ? "a client without SNI" : sniHostName));
        }
        return snapshot.defaultEntry.context();
    }

    /** The certificate {@link #select} serves for a host name: for tests and listings. */
    public TlsCertificate certificateFor(String sniHostName) {
        return snapshot.entryFor(sniHostName).certificate();
    }

    private static SslContext context(TlsCertificate certificate, BindTls tls, List<String> alpn,
                                      List<X509Certificate> cas, Path file) {
        try {
            return SslContexts.server(certificate, tls, alpn, cas);
        } catch (SSLException | RuntimeException e) {
            throw new IllegalArgumentException(file + ": cannot serve it with the bind's TLS settings: "
                    + e.getMessage(), e);
        }
    }

    private static List<Path> files(Path path) {
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> files = Files.list(path)) {
            return files.filter(f -> {
                String name = f.getFileName().toString();
                return !name.startsWith(".") && !name.endsWith(".key") && !name.endsWith(".ocsp")
                        && !name.endsWith(".issuer") && !name.endsWith(".sctl");
            }).filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("crt " + path + ": cannot list it: " + e.getMessage(), e);
        }
    }

    private static TlsCertificate read(Path file, Consumer<String> warnings) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("crt " + file + ": cannot read it: " + e.getMessage(), e);
        }
        try {
            return CertificateStore.parse(file.toString(), pem, warnings);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("crt " + e.getMessage(), e);
        }
    }

    /** The CA certificates of {@code ca-file}; empty when the bind does not verify clients. */
    private static List<X509Certificate> caFile(BindTls tls) {
        if (tls.caFile() == null || tls.verify() == BindTls.Verify.NONE) {
            return List.of();
        }
        List<X509Certificate> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(tls.caFile())) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("ca-file " + tls.caFile() + ": cannot read it: " + e.getMessage(), e);
        } catch (CertificateException | RuntimeException e) {
            throw new IllegalArgumentException("ca-file " + tls.caFile() + ": not PEM certificates: "
                    + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("ca-file " + tls.caFile() + ": no certificate in it");
        }
        return List.copyOf(out);
    }
}
