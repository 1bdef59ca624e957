package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.app.SluiceProcess.Answer;
import dev.sluice.proxy.TestBackend;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * TLS on a real process: a {@code :ssl} bind speaks TLS from the start (a self-signed default),
 * {@code PUT cert} installs a certificate chosen by SNI without a restart or a failed handshake,
 * a bad PEM is refused with the reason, and the backend learns the request came over https.
 */
class TlsAcceptanceTest {

    @RegisterExtension
    final SluiceProcesses sluices = new SluiceProcesses();

    @TempDir
    Path stateDir;

    @TempDir
    Path certsDir;

    @Test
    void sslBindSpeaksTls_putCertIsServedBySni_withoutAFailedHandshake_andBadPemsAreRefused() throws Exception {
        try (TestBackend backend = TestBackend.start("app")) {
            int plain = SluiceProcess.freePort();
            int tls = SluiceProcess.freePort();
            SluiceProcess sluice = sluices.start("tls", Map.of("DEFAULT_PORTS", plain + "," + tls + ":ssl",
                    "CERTS_DIR", certsDir.toString()), stateDir);
            assertThat(subject(tls, null)).isEqualTo("CN=localhost");

            Answer routed = sluice.get("/v1/docker-flow-proxy/reconfigure?serviceName=app&servicePath=/&port="
                    + backend.port() + "&outboundHostname=127.0.0.1");
            assertThat(routed.status()).as("%s", routed).isEqualTo(200);
            assertThat(httpsGet(tls, "shop.test", "/hello")).startsWith("HTTP/1.1 200")
                    .contains("x-forwarded-proto: https");
            // httpsOnly: plain HTTP is redirected to https, TLS is served
            Answer secure = sluice.get("/v1/docker-flow-proxy/reconfigure?serviceName=secure&servicePath=/secure&port="
                    + backend.port() + "&outboundHostname=127.0.0.1&httpsOnly=true");
            assertThat(secure.status()).as("%s", secure).isEqualTo(200);
            dev.sluice.proxy.RawHttpClient.Response redirect = Http.get(plain, "/secure/x", "Host: shop.test");
            assertThat(redirect.status()).isEqualTo(302);
            assertThat(redirect.header("location")).isEqualTo("https://shop.test/secure/x");
            assertThat(httpsGet(tls, "shop.test", "/secure/x")).startsWith("HTTP/1.1 200");

            // HTTP/2 by ALPN (ENABLE_H2 defaults to true), to the same HTTP/1.1 backend
            HttpResponse<String> h2 = HttpClient.newBuilder().sslContext(dev.sluice.proxy.TrustAll.context())
                    .version(HttpClient.Version.HTTP_2).build()
                    .send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + tls + "/h2")).timeout(Duration.ofSeconds(10))
                            .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(h2.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(h2.statusCode()).isEqualTo(200);
            assertThat(h2.body()).contains("server=app", "uri=/h2");

            // a certificate replaced while clients keep connecting: no handshake fails
            AtomicBoolean stop = new AtomicBoolean();
            List<String> failures = new ArrayList<>();
            Thread clients = new Thread(() -> {
                for (int i = 0; i < 400 && !stop.get(); i++) {
                    try {
                        subject(tls, "shop.test");
                        String answer = httpsGet(tls, "shop.test", "/during");
                        if (!answer.startsWith("HTTP/1.1 200")) {
                            failures.add(answer.lines().findFirst().orElse("no answer"));
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            });
            clients.start();
            for (int round = 1; round <= 3; round++) {
                Answer put = put(sluice, "shop.pem", pem("shop.test", 30));
                assertThat(put.status()).as("%s", put).isEqualTo(200);
            }
            stop.set(true);
            clients.join(30_000);
            assertThat(failures).as("failed handshakes or requests while the certificate was replaced").isEmpty();

            assertThat(subject(tls, "shop.test")).isEqualTo("CN=shop.test");
            assertThat(Files.readString(certsDir.resolve("shop.pem"))).contains("BEGIN CERTIFICATE");
            assertThat(sluice.get("/v1/docker-flow-proxy/certs").body()).contains("shop.pem", "shop.test");

            Answer garbage = put(sluice, "bad.pem", "not a pem at all");
            assertThat(garbage.status()).isEqualTo(400);
            assertThat(garbage.body()).contains("NOK");
            Answer expired = put(sluice, "old.pem", pem("old.test", -1));
            assertThat(expired.status()).isEqualTo(400);
            assertThat(expired.body()).contains("expired");
            assertThat(Files.exists(certsDir.resolve("old.pem"))).isFalse();
            assertThat(subject(tls, "old.test")).as("nothing changed").isEqualTo("CN=shop.test");
        }
    }

    @Test
    void serviceCertOfReconfigure_isStoredForTheServiceDomain_andABadOneChangesNothing() throws Exception {
        try (TestBackend backend = TestBackend.start("shop")) {
            int tls = SluiceProcess.freePort();
            SluiceProcess sluice = sluices.start("service-cert", Map.of("DEFAULT_PORTS", tls + ":ssl",
                    "CERTS_DIR", certsDir.toString()), stateDir);
            String service = "&servicePath=/&port=" + backend.port() + "&outboundHostname=127.0.0.1";

            // as in a com.df.serviceCert label: new lines written as \n; an RSA PEM makes a request
            // line of about 4.5 KB, longer than an HTTP server's usual 4 KB limit
            Answer routed = sluice.get("/v1/docker-flow-proxy/reconfigure?serviceName=shop&serviceDomain=shop.test"
                    + service + "&serviceCert=" + escaped(pem("shop.test", 30, "RSA")));
            assertThat(routed.status()).as("%s", routed).isEqualTo(200);
            assertThat(routed.body()).contains("\"CertName\":\"shop.test\"");
            assertThat(subject(tls, "shop.test")).isEqualTo("CN=shop.test");
            assertThat(httpsGet(tls, "shop.test", "/")).startsWith("HTTP/1.1 200").contains("server=shop");
            assertThat(Files.readString(certsDir.resolve("shop.test"))).contains("BEGIN CERTIFICATE");
            // the private key stays in CERTS_DIR: not in the state file, not in the service's description
            assertThat(Files.readString(stateDir.resolve("services.json"))).contains("shop.test")
                    .doesNotContain("PRIVATE KEY", "serviceCert");
            assertThat(sluice.get("/v1/docker-flow-proxy/config?type=json").body()).doesNotContain("PRIVATE KEY");

            // a wildcard domain names the file with '_' for '*'
            Answer wildcard = sluice.get("/v1/docker-flow-proxy/reconfigure?serviceName=wild&serviceDomain=*.wild.test"
                    + service + "&serviceCert=" + escaped(pem("*.wild.test", 30)));
            assertThat(wildcard.status()).as("%s", wildcard).isEqualTo(200);
            assertThat(certsDir.resolve("_.wild.test")).exists();
            assertThat(subject(tls, "a.wild.test")).isEqualTo("CN=*.wild.test");

            // a bad PEM: 400 naming serviceCert, the service is not routed, nothing is written
            Answer bad = sluice.get("/v1/docker-flow-proxy/reconfigure?serviceName=other&serviceDomain=other.test"
                    + service + "&serviceCert=" + escaped("-----BEGIN CERTIFICATE-----\nnonsense\n"));
            assertThat(bad.status()).as("%s", bad).isEqualTo(400);
            assertThat(bad.body()).contains("serviceCert", "nothing changed");
            assertThat(certsDir.resolve("other.test")).doesNotExist();
            assertThat(sluice.get("/v1/docker-flow-proxy/config?type=json").body()).doesNotContain("other.test");

            // a good PEM for a bad service: the service's error, and the certificate is not stored
            Answer noPort = sluice.get("/v1/docker-flow-proxy/reconfigure?serviceName=lost&serviceDomain=lost.test"
                    + "&servicePath=/lost&serviceCert=" + escaped(pem("lost.test", 30)));
            assertThat(noPort.status()).as("%s", noPort).isEqualTo(400);
            assertThat(certsDir.resolve("lost.test")).doesNotExist();
            assertThat(subject(tls, "lost.test")).as("still the first certificate").isNotEqualTo("CN=lost.test");
        }
    }

    /** A PEM as a Docker label carries it (new lines as backslash-n), URL-encoded for the query. */
    private static String escaped(String pem) {
        return java.net.URLEncoder.encode(pem.replace("\n", "\\n"), StandardCharsets.UTF_8);
    }

    private static Answer put(SluiceProcess sluice, String name, String pem) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sluice.adminPort()
                        + "/v1/docker-flow-proxy/cert?certName=" + name))
                .PUT(HttpRequest.BodyPublishers.ofString(pem)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    /** A combined PEM (certificate, then key) for {@code host}, valid for {@code days} (negative: expired). */
    private static String pem(String host, int days) throws Exception {
        return pem(host, days, "EC");
    }

    /** The same with an "EC" (P-256) or "RSA" (2048-bit) key. */
    private static String pem(String host, int days, String algorithm) throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance(algorithm);
        gen.initialize(algorithm.equals("RSA") ? 2048 : 256);
        KeyPair keys = gen.generateKeyPair();
        Instant now = Instant.now();
        Instant from = days > 0 ? now.minus(Duration.ofDays(1)) : now.minus(Duration.ofDays(10));
        Instant to = now.plus(Duration.ofDays(days));
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=" + host),
                BigInteger.valueOf(now.toEpochMilli()), Date.from(from), Date.from(to), new X500Name("CN=" + host),
                keys.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, host)));
        X509Certificate cert = new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder(algorithm.equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA")
                        .build(keys.getPrivate())));
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(cert);
            // SEC1 "EC PRIVATE KEY" as BouncyCastle writes it: without the curve, which the certificate names
            w.writeObject(keys.getPrivate());
        }
        return out.toString();
    }

    private static SSLSocket connect(int port, String sni) throws Exception {
        SSLSocket socket = (SSLSocket) dev.sluice.proxy.TrustAll.context().getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        SSLParameters params = socket.getSSLParameters();
        params.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        socket.setSSLParameters(params);
        socket.startHandshake();
        return socket;
    }

    private static String subject(int port, String sni) throws Exception {
        try (SSLSocket socket = connect(port, sni)) {
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    private static String httpsGet(int port, String sni, String path) throws Exception {
        try (SSLSocket socket = connect(port, sni)) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + sni + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
