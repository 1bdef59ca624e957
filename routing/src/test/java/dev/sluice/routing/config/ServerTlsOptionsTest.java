package dev.sluice.routing.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.Configs;
import dev.sluice.routing.RoutingCompiler;
import dev.sluice.routing.Server;
import dev.sluice.routing.config.ServerTlsConfig.CheckSsl;
import dev.sluice.routing.config.ServerTlsConfig.Verify;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerTlsOptionsTest {

    private static final String CERT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    private static final String KEY = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";

    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void everyOption_isReadAndRenderedBack() throws IOException {
        Path ca = file("ca.pem", CERT);
        Path crt = file("client.pem", CERT + KEY);
        ProxyConfig c = Configs.parse("backend b\n server s a:443 ssl verify required ca-file " + ca + " crt " + crt
                + " sni str(api.example.com) verifyhost api.example.com check check-sni chk.example.com\n"
                + " server t a:444 ssl verify none sni req.hdr(host) no-check-ssl\n", dir);
        ServerTlsConfig s = c.backend("b").servers().get(0).tls();
        assertThat(s).isEqualTo(new ServerTlsConfig(true, Verify.REQUIRED, ca.toString(), "str(api.example.com)",
                crt.toString(), CheckSsl.DEFAULT, "api.example.com", "chk.example.com"));
        assertThat(s.fixedSni()).isEqualTo("api.example.com");
        ServerTlsConfig t = c.backend("b").servers().get(1).tls();
        assertThat(t.sniFromHost()).isTrue();
        assertThat(t.fixedSni()).isNull();
        String rendered = ConfigRenderer.render(c);
        assertThat(rendered).contains("ssl verify none sni req.hdr(host) no-check-ssl");
        assertThat(Configs.parse(rendered)).isEqualTo(c);
    }

    @Test
    void relativeFiles_areFoundBesideTheConfig_orUnderCaBaseAndCrtBase() throws IOException {
        file("ca.pem", CERT);
        Files.createDirectories(dir.resolve("certs"));
        file("certs/client.pem", KEY + CERT);
        ServerTlsConfig t = Configs.parse("backend b\n server s a:443 ssl ca-file ca.pem\n", dir)
                .backend("b").servers().get(0).tls();
        assertThat(t.caFile()).isEqualTo(dir.resolve("ca.pem").toString());
        t = Configs.parse("global\n crt-base " + dir.resolve("certs") + "\nbackend b\n server s a:443 ssl verify none crt client.pem\n",
                dir).backend("b").servers().get(0).tls();
        assertThat(t.crt()).isEqualTo(dir.resolve("certs/client.pem").toString());
    }

    @Test
    void defaultServer_optionsAreInherited_andNoSslTurnsTlsOff() {
        ProxyConfig c = Configs.parse("backend b\n default-server ssl verify none check-ssl\n server s a:443\n"
                + " server p a:80 no-ssl no-check-ssl\n");
        assertThat(c.backend("b").servers().get(0).tls().ssl()).isTrue();
        assertThat(c.backend("b").servers().get(0).tls().checkSsl()).isEqualTo(CheckSsl.ON);
        ServerTlsConfig plain = c.backend("b").servers().get(1).tls();
        assertThat(plain.ssl()).isFalse();
        assertThat(plain.usesTls()).isFalse();
    }

    @Test
    void checksUseTls_forSslServers_unlessSentToAnotherPort_orForcedEitherWay() {
        ProxyConfig c = Configs.parse("""
                backend b
                 server s1 a:443 ssl verify none check
                 server s2 a:443 ssl verify none check port 8080
                 server s3 a:443 ssl verify none check port 8443 check-ssl
                 server s4 a:443 ssl verify none check no-check-ssl
                 server s5 a:80 check check-ssl verify none
                 server s6 a:80 check
                """);
        assertThat(c.backend("b").servers()).extracting(s -> s.tls().checksOverTls(s.check()))
                .containsExactly(true, false, true, false, true, false);
    }

    @Test
    void verify_defaultsToRequired_orToTheGlobalSslServerVerify() {
        Server strict = RoutingCompiler.compile(Configs.parse("backend b\n server s a:443 ssl ca-file @system-ca\n"), null)
                .backend("b").servers().get(0);
        assertThat(strict.tls().verify()).isEqualTo(Verify.REQUIRED);
        Server lax = RoutingCompiler.compile(Configs.parse("global\n ssl-server-verify none\nbackend b\n server s a:443 ssl\n"),
                null).backend("b").servers().get(0);
        assertThat(lax.tls().verify()).isEqualTo(Verify.NONE);
        ProxyConfig c = Configs.parse("global\n ssl-server-verify none\nbackend b\n server s a:443 ssl verify required ca-file @system-ca\n");
        assertThat(RoutingCompiler.compile(c, null).backend("b").servers().get(0).tls().verifies()).isTrue();
        assertThat(Configs.parse(ConfigRenderer.render(c))).isEqualTo(c);
    }

    @Test
    void sslWithoutCaFile_isRefusedAsHaproxyDoes_sayingWhatToAdd() {
        ParseResult r = ConfigParser.parse("backend b\n server s a:443 ssl\n", "t.cfg", null);
        assertThat(r.errors()).hasSize(1);
        assertThat(r.errors().get(0).toString()).startsWith("t.cfg:2: 'server s': verify is enabled by default but no CA file")
                .contains("'ca-file FILE'").contains("'verify none'").contains("'ssl-server-verify none'");
        assertThat(ConfigParser.parse("backend b\n server s a:443 check check-ssl\n", "t.cfg", null).errors()).hasSize(1);
        assertThat(ConfigParser.parse("backend b\n server s a:443 verify none sni str(x)\n", "t.cfg", null).errors()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ssl verify maybe                    | 'server s verify': unknown verify method 'maybe' (expected none or required)",
            "ssl verify none sni ssl_fc_sni      | 'server s sni': unsupported expression 'ssl_fc_sni' (expected str(NAME), req.hdr(host) or hdr(host))",
            "ssl verify none sni req.hdr(host),lower | 'server s sni': unsupported expression",
            "ssl verify none sni str(a b)        | 'server s sni': unsupported expression",
            "ssl ca-file /nonexistent/ca.pem     | 'server s ca-file': cannot read file '/nonexistent/ca.pem' (no such file)",
            "ssl verify none crt ONLYCERT        | does not hold both a certificate and its private key",
            "ssl ca-file EMPTY                   | 'server s ca-file': no certificate found in",
            "ssl verify none ciphers HIGH        | 'server s': unknown or unsupported option 'ciphers'",
            "ssl verify none crl-file x.pem      | 'server s': unknown or unsupported option 'crl-file'",
            "ssl verify none verifyhost a/b      | 'server s verifyhost': 'a/b' (expected a host name)"})
    void badValues_areErrorsAtTheirLine(String options, String message) throws IOException {
        file("ONLYCERT", CERT);
        file("EMPTY", "");
        ParseResult r = ConfigParser.parse("backend b\n server s a:443 " + options + "\n", "t.cfg", dir);
        assertThat(r.errors()).hasSize(1);
        assertThat(r.errors().get(0).toString()).startsWith("t.cfg:2: ").contains(message);
    }

    @Test
    void badGlobalSslServerVerify_isAnError() {
        ParseResult r = ConfigParser.parse("global\n ssl-server-verify maybe\n", "t.cfg", null);
        assertThat(r.errors().toString()).contains("t.cfg:2: 'ssl-server-verify': 'maybe' (expected none or required)");
    }
}
