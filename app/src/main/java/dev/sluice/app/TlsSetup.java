package dev.sluice.app;

import dev.sluice.admin.CertificateAdmin;
import dev.sluice.proxy.TlsContexts;
import dev.sluice.proxy.Transport;
import dev.sluice.tls.CertificateStore;
import dev.sluice.tls.TlsCertificate;
import io.netty.handler.ssl.OpenSsl;

import java.io.IOException;
import java.io.PrintStream;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The certificates of {@code ssl} binds: loaded from CERTS_DIR and the {@code cert-*} secrets
 * (a self-signed one when there is none, so a 443:ssl bind always speaks TLS), chosen by SNI for
 * the data plane, and replaced through the admin API's {@code cert} without a restart.
 */
final class TlsSetup implements CertificateAdmin {

    private final CertificateStore store;
    private final Settings settings;
    private final PrintStream log;
    private final BindTlsSetup binds;

    private TlsSetup(CertificateStore store, Settings settings, List<String> alpn, PrintStream log) {
        this.store = store;
        this.settings = settings;
        this.log = log;
        this.binds = new BindTlsSetup(store, alpn, log);
    }

    static TlsSetup load(Settings settings, PrintStream log) {
        List<String> alpn = settings.enableH2() ? List.of("h2", "http/1.1") : List.of("http/1.1");
        CertificateStore store = CertificateStore.load(settings.certsDir(), settings.secretsDir(),
                settings.preferredCertificate(), alpn, w -> log.println("warning: " + w));
        if (!OpenSsl.isAvailable() && Transport.onLinux()) {
            log.println("warning: OpenSSL (netty-tcnative) is not available here ("
                    + Transport.rootCause(OpenSsl.unavailabilityCause()) + "); TLS uses the JDK's, which takes more CPU. "
                    + Transport.NATIVE_WORKDIR_HINT);
        }
        return new TlsSetup(store, settings, alpn, log);
    }

    /** What the data plane asks at each handshake; per bind, the contexts of its TLS settings. */
    TlsContexts contexts() {
        return binds;
    }

    String describe() {
        return store.certificates().size() + " certificate(s), " + store.provider();
    }

    @Override
    public Map<String, Object> put(String name, String pem) throws IOException {
        List<String> warnings = new ArrayList<>();
        TlsCertificate c;
        try {
            c = store.put(name, pem, warnings::add);
        } catch (CertificateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        log.println("certificate " + name + " stored and served for " + String.join(", ", c.dnsNames()));
        warnings.forEach(w -> log.println("warning: " + w));
        Map<String, Object> out = describe(c);
        out.put("Warnings", warnings);
        return out;
    }

    @Override
    public void validate(String name, String pem) {
        if (!CertificateStore.isFileName(name)) {
            throw new IllegalArgumentException("certificate name " + name
                    + " (expected: a plain file name of A-Z a-z 0-9 . _ -, not starting with '.')");
        }
        try {
            CertificateStore.parse(name, pem, w -> { });
        } catch (CertificateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public List<Map<String, Object>> list() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (TlsCertificate c : store.certificates()) {
            out.add(describe(c));
        }
        return out;
    }

    @Override
    public Map<String, String> export() {
        Map<String, String> out = new java.util.TreeMap<>();
        java.nio.file.Path dir = settings.certsDir();
        if (!java.nio.file.Files.isDirectory(dir)) {
            return out;
        }
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
            for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (!CertificateStore.isFileName(name) || !java.nio.file.Files.isRegularFile(f)) {
                    continue;
                }
                String pem = java.nio.file.Files.readString(f, java.nio.charset.StandardCharsets.UTF_8);
                if (pem.contains("PRIVATE KEY")) {
                    out.put(name, pem);
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            log.println("warning: certificates in " + dir + " could not be read for a peer replica: " + e.getMessage());
        }
        return out;
    }

    private Map<String, Object> describe(TlsCertificate c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ProxyServiceName", c.name());
        m.put("CertsDir", settings.certsDir().toString());
        m.put("Names", c.dnsNames());
        m.put("NotAfter", c.notAfter().toString());
        return m;
    }
}
