package dev.sluice.tls;

import io.netty.handler.ssl.SslContext;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link CertificateStore} serves at one moment: immutable, replaced whole on every change,
 * read without a lock.
 */
final class Snapshot {

    /** A certificate and the server context built from it. */
    record Entry(TlsCertificate certificate, SslContext context) {}

    final List<Entry> ordered;
    private final Map<String, Entry> exact;
    /** "*.example.com" is kept under "example.com". */
    private final Map<String, Entry> wildcard;
    final Entry defaultEntry;

    /** @param ordered preferred first, then by name; never empty; the first is the default. */
    Snapshot(List<Entry> ordered) {
        if (ordered.isEmpty()) {
            throw new IllegalArgumentException("ordered: empty (expected: one certificate at least)");
        }
        this.ordered = List.copyOf(ordered);
        Map<String, Entry> exact = new HashMap<>();
        Map<String, Entry> wildcard = new HashMap<>();
        // The first certificate in order that names a host serves it.
        for (Entry entry : ordered) {
            for (String dnsName : entry.certificate().dnsNames()) {
                if (dnsName.startsWith("*.")) {
                    wildcard.putIfAbsent(dnsName.substring(2), entry);
                } else {
                    exact.putIfAbsent(dnsName, entry);
                }
            }
        }
        this.exact = Map.copyOf(exact);
        this.wildcard = Map.copyOf(wildcard);
        this.defaultEntry = ordered.get(0);
    }

    /** Exact name first, then a wildcard covering exactly one more label, else the default (also for a null name). */
    Entry entryFor(String sniHostName) {
        Entry entry = match(sniHostName);
        return entry == null ? defaultEntry : entry;
    }

    /** The certificate naming {@code sniHostName} exactly or by a wildcard, or null (also for a null name). */
    Entry match(String sniHostName) {
        if (sniHostName == null || sniHostName.isEmpty()) {
            return null;
        }
        String host = sniHostName.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        Entry entry = exact.get(host);
        if (entry != null) {
            return entry;
        }
        int dot = host.indexOf('.');
        if (dot > 0) {
            entry = wildcard.get(host.substring(dot + 1));
            if (entry != null) {
                return entry;
            }
        }
        return null;
    }
}
