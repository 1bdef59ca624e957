package dev.sluice.tls;

import static java.util.Objects.requireNonNull;

import dev.sluice.tls.Snapshot.Entry;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.security.cert.CertificateException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;

/**
 * The certificates Sluice serves and their {@link SslContext}s, selected by SNI host name.
 *
 * <p>Reads ({@link #select}, {@link #defaultContext}, {@link #certificates}) take one volatile read
 * of an immutable snapshot, no lock: they run on the event loops for every TLS handshake. Writes
 * ({@link #put}) are synchronized, build the new context before anything changes, and publish a
 * new snapshot.
 */
public final class CertificateStore {

    /** The ALPN protocols advertised when {@link #load} is not told: HTTP/2 comes later. */
    public static final List<String> DEFAULT_ALPN = List.of("http/1.1");

    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");

    private final Path certsDir;
    private final List<PathMatcher> preferred;
    private final List<String> alpn;
    private final CopyOnWriteArrayList<Consumer<TlsCertificate>> listeners = new CopyOnWriteArrayList<>();
    /** Guarded by this. By name; the self-signed certificate is served only while this is empty. */
    private final Map<String, Entry> byName = new TreeMap<>();
    /** Guarded by this. Generated at most once. */
    private Entry selfSigned;
    private volatile Snapshot snapshot;

    private CertificateStore(Path certsDir, List<PathMatcher> preferred, List<String> alpn) {
        this.certsDir = certsDir;
        this.preferred = preferred;
        this.alpn = alpn;
    }

    /** {@link #load(Path, Path, String, List, Consumer)} advertising {@link #DEFAULT_ALPN}. */
    public static CertificateStore load(Path certsDir, Path secretsDir, String preferred, Consumer<String> warnings) {
        return load(certsDir, secretsDir, preferred, DEFAULT_ALPN, warnings);
    }

    /**
     * Loads every file of {@code certsDir} (CERTS_DIR, default /certs; a missing directory holds
     * none) except hidden ones and HAProxy's side files (.key, .ocsp, .issuer, .sctl), and the
     * files of {@code secretsDir} named {@code cert-*} or {@code cert_*} (Docker secrets; may be
     * null). A bad file is reported to {@code warnings} and skipped: it never stops a start. When
     * nothing loads, a self-signed certificate for "localhost" is generated, so that a
     * {@code 443:ssl} bind always speaks TLS.
     *
     * @param preferred PREFERRED_CERTIFICATE: file name globs, comma separated, or null. The first
     *                  certificate matching the first glob that matches is the default
     *                  (for clients without SNI, or whose name no certificate has).
     * @param alpn      the ALPN protocols to advertise, in order of preference; empty for no ALPN
     */
    public static CertificateStore load(Path certsDir, Path secretsDir, String preferred, List<String> alpn,
                                        Consumer<String> warnings) {
        requireNonNull(certsDir, "certsDir");
        requireNonNull(alpn, "alpn");
        requireNonNull(warnings, "warnings");
        CertificateStore store = new CertificateStore(certsDir, globs(preferred), List.copyOf(alpn));
        synchronized (store) {
            for (Path file : files(certsDir, CertificateStore::isCertificateFile, warnings)) {
                store.loadFile(file, warnings);
            }
            if (secretsDir != null) {
                for (Path file : files(secretsDir, CertificateStore::isSecretFile, warnings)) {
                    store.loadFile(file, warnings);
                }
            }
            store.publish();
            if (!store.preferred.isEmpty() && !store.byName.isEmpty()
                    && store.rank(store.snapshot.defaultEntry.certificate().name()) == store.preferred.size()) {
                warnings.accept("PREFERRED_CERTIFICATE " + preferred + " matches no certificate; the default is "
                        + store.snapshot.defaultEntry.certificate().name());
            }
        }
        return store;
    }

    /**
     * Validates a combined PEM: the certificate chain (leaf first) and the leaf's private key, RSA
     * or EC, PKCS#1 ("RSA PRIVATE KEY"), PKCS#8 ("PRIVATE KEY") or SEC1 ("EC PRIVATE KEY"). The key
     * must match the leaf, and the leaf must be valid now. A certificate that expires within 30
     * days is returned with a warning.
     *
     * @throws CertificateException naming {@code name} and the problem, for example
     *     "example.com.pem: the private key does not match the certificate"
     */
    public static TlsCertificate parse(String name, String pem, Consumer<String> warnings) throws CertificateException {
        requireNonNull(name, "name");
        requireNonNull(pem, "pem");
        requireNonNull(warnings, "warnings");
        return PemCertificates.parse(name, pem, Instant.now(), warnings);
    }

    /** Whether {@code name} can name a certificate file: {@code [A-Za-z0-9._-]}, not starting with '.'. */
    public static boolean isFileName(String name) {
        return FILE_NAME.matcher(name).matches();
    }

    /**
     * Validates {@code pem} (as {@link #parse}), writes it to certsDir/name atomically (temporary
     * file, fsync, rename), then serves it, replacing the certificate of the same name. Nothing
     * changes when the PEM is rejected.
     *
     * @param name a plain file name of {@code [A-Za-z0-9._-]}, not starting with '.'
     * @throws IllegalArgumentException when {@code name} is not a plain file name
     */
    public synchronized TlsCertificate put(String name, String pem, Consumer<String> warnings)
            throws CertificateException, IOException {
        requireNonNull(name, "name");
        requireNonNull(pem, "pem");
        requireNonNull(warnings, "warnings");
        if (!FILE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: " + name
                    + " (expected: a plain file name of A-Z a-z 0-9 . _ -, not starting with '.')");
        }
        TlsCertificate certificate = parse(name, pem, warnings);
        SslContext context = SslContexts.server(certificate, alpn);
        write(certsDir, name, pem);
        byName.put(name, new Entry(certificate, context));
        publish();
        for (Consumer<TlsCertificate> listener : listeners) {
            listener.accept(certificate);
        }
        return certificate;
    }

    /** The certificates served, preferred first, then by name; the self-signed one when no other. */
    public List<TlsCertificate> certificates() {
        return snapshot.ordered.stream().map(Entry::certificate).toList();
    }

    /**
     * The context for an SNI host name: the certificate naming it exactly, else one with a
     * wildcard covering exactly its first label ("*.example.com" serves a.example.com, not
     * a.b.example.com), case-insensitive, else {@link #defaultContext()}. Never null; a null or
     * empty name gets the default. Usable as Netty's SNI mapping: {@code new SniHandler(store::select)}.
     */
    public SslContext select(String sniHostName) {
        return snapshot.entryFor(sniHostName).context();
    }

    /** The certificate {@link #select} serves for this SNI host name: for tests and the admin API's listing. */
    public TlsCertificate certificateFor(String sniHostName) {
        return snapshot.entryFor(sniHostName).certificate();
    }

    /**
     * The context for clients without SNI: the first certificate matching PREFERRED_CERTIFICATE,
     * else the first by name, else the self-signed one.
     */
    public SslContext defaultContext() {
        return snapshot.defaultEntry.context();
    }

    /** What the SslContexts are built with: "OpenSSL (BoringSSL)" when Netty's OpenSsl is available, else "JDK". */
    public String provider() {
        return SslContexts.providerName();
    }

    /** Adds a listener called on the writer's thread after every {@link #put}, with the certificate stored. */
    public void addListener(Consumer<TlsCertificate> listener) {
        listeners.add(requireNonNull(listener, "listener"));
    }

    private void loadFile(Path file, Consumer<String> warnings) {
        String name = file.getFileName().toString();
        try {
            String pem = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            TlsCertificate certificate = parse(name, pem, warnings);
            SslContext context = SslContexts.server(certificate, alpn);
            if (byName.put(name, new Entry(certificate, context)) != null) {
                warnings.accept(name + ": loaded twice; " + file + " replaces the first");
            }
        } catch (CertificateException | SSLException e) {
            warnings.accept(file + " skipped: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            warnings.accept(file + " skipped: cannot read it: " + e);
        }
    }

    /** Guarded by this. */
    private void publish() {
        List<Entry> ordered = new ArrayList<>(byName.values());
        ordered.sort(Comparator.comparingInt((Entry e) -> rank(e.certificate().name()))
                .thenComparing(e -> e.certificate().name()));
        if (ordered.isEmpty()) {
            ordered.add(selfSigned());
        }
        snapshot = new Snapshot(ordered);
    }

    private Entry selfSigned() {
        if (selfSigned == null) {
            TlsCertificate certificate = SelfSignedCertificate.generate(Instant.now());
            try {
                selfSigned = new Entry(certificate, SslContexts.server(certificate, alpn));
            } catch (SSLException e) {
                throw new IllegalStateException("cannot build the self-signed certificate's context", e);
            }
        }
        return selfSigned;
    }

    /** The index of the first PREFERRED_CERTIFICATE glob matching the name; past the end when none does. */
    private int rank(String name) {
        Path path = Path.of(name);
        for (int i = 0; i < preferred.size(); i++) {
            if (preferred.get(i).matches(path)) {
                return i;
            }
        }
        return preferred.size();
    }

    private static List<PathMatcher> globs(String preferred) {
        if (preferred == null || preferred.isBlank()) {
            return List.of();
        }
        List<PathMatcher> globs = new ArrayList<>();
        for (String glob : preferred.split(",")) {
            if (!glob.isBlank()) {
                globs.add(FileSystems.getDefault().getPathMatcher("glob:" + glob.trim()));
            }
        }
        return List.copyOf(globs);
    }

    private static boolean isCertificateFile(String name) {
        return !name.startsWith(".") && !name.endsWith(".key") && !name.endsWith(".ocsp")
                && !name.endsWith(".issuer") && !name.endsWith(".sctl");
    }

    private static boolean isSecretFile(String name) {
        return name.startsWith("cert-") || name.startsWith("cert_");
    }

    private static List<Path> files(Path dir, java.util.function.Predicate<String> accept, Consumer<String> warnings) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> accept.test(f.getFileName().toString()))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            warnings.accept(dir + ": cannot list it: " + e);
            return List.of();
        }
    }

    /** Temporary file, fsync, rename over the target, fsync the directory: a reader sees the old or the new file. */
    static void write(Path dir, String name, String content) throws IOException {
        Files.createDirectories(dir);
        Path temporary = Files.createTempFile(dir, "." + name + ".", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            Files.move(temporary, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory to sync it; the rename is still atomic.
        }
    }
}
