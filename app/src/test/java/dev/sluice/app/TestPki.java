package dev.sluice.app;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.security.Principal;
import java.security.PrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made in the tests (EC P-256): a CA, server certificates and client certificates
 * it signs, their PEM files, and a TLS client that can present one.
 */
final class TestPki {

    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

    /** A certificate and its key. */
    record Issued(X509Certificate certificate, KeyPair keys) {

        /** The certificate then the key, as HAProxy's crt files. */
        String pem() {
            try { // PKCS#8: OpenSSL (HAProxy) reads it; BouncyCastle's EC form leaves out the curve
                return TestPki.pem(certificate) + TestPki.pem(
                        new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(keys.getPrivate(), null).generate());
            } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
                throw new IllegalStateException(e);
            }
        }

        Path write(Path file) throws IOException {
            Files.writeString(file, pem(), StandardCharsets.UTF_8);
            return file;
        }

        /** The certificate alone, as a ca-file. */
        Path writeCertificate(Path file) throws IOException {
            Files.writeString(file, TestPki.pem(certificate), StandardCharsets.UTF_8);
            return file;
        }
    }

    private TestPki() {
    }

    static Issued ca(String cn) {
        return issue(null, "CN=" + cn, true);
    }

    /** A leaf for {@code subject} (for example {@code "O=Example,CN=alice"}) with the dNSName of its CN. */
    static Issued leaf(Issued issuer, String subject) {
        return issue(issuer, subject, false);
    }

    private static Issued issue(Issued issuer, String subject, boolean ca) {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(256);
            KeyPair keys = gen.generateKeyPair();
            X500Name name = new X500Name(subject);
            X500Name issuerName = issuer == null ? name
                    : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(30))), name, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (!ca) {
                String cn = subject.substring(subject.lastIndexOf("CN=") + 3);
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, cn)));
            }
            KeyPair signer = issuer == null ? keys : issuer.keys();
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
            return new Issued(certificate, keys);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    /** A client that trusts any server and presents {@code client} (null: no certificate). */
    static SSLContext clientContext(Issued client) throws Exception {
        KeyManager[] keyManagers = null;
        if (client != null) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("client", client.keys().getPrivate(), "x".toCharArray(),
                    new Certificate[] {client.certificate()});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, "x".toCharArray());
            X509ExtendedKeyManager keys = (X509ExtendedKeyManager) kmf.getKeyManagers()[0];
            // present the certificate even when the server names other CAs (a JDK client would stay silent)
            keyManagers = new KeyManager[] {new X509ExtendedKeyManager() {
                public String[] getClientAliases(String t, Principal[] i) { return new String[] {"client"}; }
                public String chooseClientAlias(String[] t, Principal[] i, Socket s) { return "client"; }
                public String chooseEngineClientAlias(String[] t, Principal[] i, SSLEngine e) { return "client"; }
                public String[] getServerAliases(String t, Principal[] i) { return null; }
                public String chooseServerAlias(String t, Principal[] i, Socket s) { return null; }
                public X509Certificate[] getCertificateChain(String alias) { return keys.getCertificateChain(alias); }
                public PrivateKey getPrivateKey(String alias) { return keys.getPrivateKey(alias); }
            }};
        }
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(keyManagers, new TrustManager[] {new X509ExtendedTrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String a) { }
            public void checkServerTrusted(X509Certificate[] c, String a) { }
            public void checkClientTrusted(X509Certificate[] c, String a, Socket s) { }
            public void checkServerTrusted(X509Certificate[] c, String a, Socket s) { }
            public void checkClientTrusted(X509Certificate[] c, String a, javax.net.ssl.SSLEngine e) { }
            public void checkServerTrusted(X509Certificate[] c, String a, javax.net.ssl.SSLEngine e) { }
            public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }}, null);
        return ssl;
    }

    /** What a TLS client saw: the server's certificate subject and the raw HTTP answer. */
    record Seen(String subject, String protocol, String answer) {
        int status() {
            return answer.length() >= 12 ? Integer.parseInt(answer.substring(9, 12)) : -1;
        }
    }

    /**
     * One HTTPS GET over a fresh connection.
     *
     * @param protocols the TLS versions the client offers (null: its defaults)
     * @param ciphers   the suites the client offers (null: its defaults)
     * @throws IOException when the handshake or the exchange fails
     */
    static Seen get(int port, String sni, Issued client, String path, String[] protocols, String[] ciphers)
            throws Exception {
        try (SSLSocket socket = (SSLSocket) clientContext(client).getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            SSLParameters params = socket.getSSLParameters();
            params.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
            if (protocols != null) {
                params.setProtocols(protocols);
            }
            if (ciphers != null) {
                params.setCipherSuites(ciphers);
            }
            socket.setSSLParameters(params);
            socket.startHandshake();
            String subject = ((X509Certificate) socket.getSession().getPeerCertificates()[0])
                    .getSubjectX500Principal().getName();
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + (sni == null ? "x" : sni)
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (answer.isEmpty()) {
                throw new IOException("the connection closed without an answer");
            }
            return new Seen(subject, socket.getSession().getProtocol(), answer);
        }
    }

    static Seen get(int port, String sni, Issued client, String path) throws Exception {
        return get(port, sni, client, path, null, null);
    }
}
