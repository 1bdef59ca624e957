package dev.sluice.tls;

import io.netty.handler.ssl.CipherSuiteConverter;
import io.netty.handler.ssl.OpenSsl;
import io.netty.internal.tcnative.SSL;
import io.netty.internal.tcnative.SSLContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * HAProxy's {@code ciphers} and {@code ciphersuites} values as lists of suites. An OpenSSL cipher
 * string ({@code ECDH+AESGCM:!aNULL}) is read by BoringSSL itself, so its rules mean what they
 * mean to the library that serves the connections; without OpenSSL only plain suite names are read.
 */
final class CipherStrings {

    /** The TLSv1.3 suites (IANA names, also the JDK's). */
    static final Set<String> TLS13 = Set.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");

    private CipherStrings() {
    }

    /** The TLSv1.2 suites of an OpenSSL cipher string, by OpenSSL names; an error when it selects none. */
    static List<String> tls12(String cipherString) throws SSLException {
        if (!OpenSsl.isAvailable()) {
            return List.of(cipherString.split(":"));
        }
        long ctx;
        try {
            ctx = SSLContext.make(SSL.SSL_PROTOCOL_TLSV1_2, SSL.SSL_MODE_SERVER);
        } catch (Exception e) {
            throw new SSLException("ciphers: cannot read '" + cipherString + "': " + e.getMessage(), e);
        }
        try {
            if (!SSLContext.setCipherSuite(ctx, cipherString, false)) {
                throw new SSLException("ciphers: '" + cipherString + "' selects no cipher suite");
            }
            long ssl = SSL.newSSL(ctx, true);
            try {
                String[] ciphers = SSL.getCiphers(ssl);
                List<String> out = ciphers == null ? List.of() : new ArrayList<>(Arrays.asList(ciphers));
                out.removeIf(c -> TLS13.contains(c) || CipherSuiteConverter.toJava(c, "TLS") != null
                        && TLS13.contains(CipherSuiteConverter.toJava(c, "TLS")));
                if (out.isEmpty()) {
                    throw new SSLException("ciphers: '" + cipherString + "' selects no TLSv1.2 cipher suite");
                }
                return List.copyOf(out);
            } finally {
                SSL.freeSSL(ssl);
            }
        } catch (SSLException e) {
            throw e;
        } catch (Exception e) {
            throw new SSLException("ciphers: '" + cipherString + "' is not a valid cipher string ("
                    + e.getMessage() + ")", e);
        } finally {
            SSLContext.free(ctx);
        }
    }

    /** The TLSv1.3 suites of a {@code ciphersuites} value ({@code TLS_AES_128_GCM_SHA256:...}). */
    static List<String> tls13(String suites) throws SSLException {
        List<String> out = new ArrayList<>();
        for (String s : suites.split(":")) {
            if (!TLS13.contains(s)) {
                throw new SSLException("ciphersuites: unknown TLSv1.3 suite '" + s + "' (expected some of: "
                        + String.join(", ", new java.util.TreeSet<>(TLS13)) + ")");
            }
            out.add(s);
        }
        return List.copyOf(out);
    }

    /** OpenSSL names as the JDK names them; a name the JDK does not know is an error. */
    static List<String> toJava(List<String> openSsl) throws SSLException {
        List<String> out = new ArrayList<>();
        for (String c : openSsl) {
            String java = c.startsWith("TLS_") ? c : CipherSuiteConverter.toJava(c, "TLS");
            if (java == null) {
                throw new SSLException("ciphers: suite '" + c + "' has no JDK name");
            }
            out.add(java);
        }
        return out;
    }
}
