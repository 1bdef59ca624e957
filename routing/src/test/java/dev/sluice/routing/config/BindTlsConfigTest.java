package dev.sluice.routing.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.BindTls;
import dev.sluice.routing.BindTls.Verify;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS options of bind lines and ssl-default-bind-*: what they mean, and clear errors with FILE:LINE. */
class BindTlsConfigTest {

    @TempDir
    Path dir;

    @BeforeEach
    void files() throws Exception {
        Files.writeString(dir.resolve("a.pem"), "pem");
        Files.writeString(dir.resolve("b.pem"), "pem");
        Files.writeString(dir.resolve("ca.pem"), "pem");
        Files.createDirectories(dir.resolve("certs"));
    }

    private ParseResult parse(String text) {
        return ConfigParser.parse(text, "t.cfg", dir);
    }

    private BindTls tls(String global, String bindOptions) {
        ParseResult r = parse("global\n" + global + "frontend f\n bind :443 ssl " + bindOptions + "\n");
        assertThat(r.errors()).isEmpty();
        return r.config().frontend("f").binds().get(0).tls();
    }

    private List<String> errors(String text) {
        return parse(text).errors().stream().map(ConfigMessage::toString).toList();
    }

    @Test
    void options_meanWhatHaproxySays() throws Exception {
        Files.writeString(dir.resolve("list.txt"), "# comment\n\nb.pem www.b.test *.b.test\n");
        BindTls t = tls("", "crt a.pem crt certs crt-list list.txt ca-file ca.pem verify optional alpn h2,http/1.1"
                + " ssl-min-ver TLSv1.3 ciphers ECDHE+AESGCM no-tls-tickets strict-sni");
        assertThat(t.certificates()).extracting(c -> c.path().getFileName().toString())
                .containsExactly("a.pem", "certs", "b.pem");
        assertThat(t.certificates().get(2).sniFilters()).containsExactly("www.b.test", "*.b.test");
        assertThat(t.caFile()).isEqualTo(dir.resolve("ca.pem"));
        assertThat(t.verify()).isEqualTo(Verify.OPTIONAL);
        assertThat(t.alpn()).containsExactly("h2", "http/1.1");
        assertThat(t.protocols()).containsExactly("TLSv1.3");
        assertThat(t.ciphers()).isEqualTo("ECDHE+AESGCM");
        assertThat(t.noTlsTickets()).isTrue();
        assertThat(t.strictSni()).isTrue();
        assertThat(tls("", "")).isEqualTo(BindTls.DEFAULT);
    }

    @Test
    void versions_neverGoBelowTls12_andNoTlsvOptionsRemoveVersions() {
        assertThat(tls("", "no-tlsv13").protocols()).containsExactly("TLSv1.2");
        assertThat(tls("", "no-sslv3 no-tlsv10 no-tlsv11").protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(tls("", "force-tlsv12").protocols()).containsExactly("TLSv1.2");
        assertThat(tls("", "ssl-max-ver TLSv1.2").protocols()).containsExactly("TLSv1.2");
        ParseResult old = parse("frontend f\n bind :443 ssl ssl-min-ver TLSv1.0\n");
        assertThat(old.config().frontend("f").binds().get(0).tls().protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(old.warnings()).extracting(ConfigMessage::toString).containsExactly("t.cfg:2: 'bind': TLS versions "
                + "below TLSv1.2 are never enabled by Sluice; only TLSv1.3 and TLSv1.2 are accepted");
    }

    @Test
    void globalDefaults_applyToTheBindsThatFollow_andABindOverridesThem() {
        String global = " ssl-default-bind-options no-sslv3 ssl-min-ver TLSv1.3 no-tls-tickets\n"
                + " ssl-default-bind-ciphers ECDHE+AESGCM\n";
        BindTls inherited = tls(global, "");
        assertThat(inherited.protocols()).containsExactly("TLSv1.3");
        assertThat(inherited.noTlsTickets()).isTrue();
        assertThat(inherited.ciphers()).isEqualTo("ECDHE+AESGCM");
        BindTls own = tls(global, "ssl-min-ver TLSv1.2 ciphers ECDHE-ECDSA-AES256-GCM-SHA384");
        assertThat(own.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(own.ciphers()).isEqualTo("ECDHE-ECDSA-AES256-GCM-SHA384");
        String rendered = ConfigRenderer.render(parse("global\n" + global
                + "frontend f\n bind :443 ssl crt a.pem verify required ca-file ca.pem\n").config());
        assertThat(rendered).contains("ssl-default-bind-options no-sslv3 ssl-min-ver TLSv1.3 no-tls-tickets",
                "ssl-default-bind-ciphers ECDHE+AESGCM", "bind *:443 ssl crt a.pem verify required ca-file ca.pem");
    }

    @Test
    void badOptionsAndFiles_areErrorsWithFileAndLine() throws Exception {
        Files.writeString(dir.resolve("opts.txt"), "a.pem [alpn h2] a.test\n");
        Files.writeString(dir.resolve("neg.txt"), "a.pem !a.test\n");
        Files.writeString(dir.resolve("gone.txt"), "a.pem\nmissing.pem\n");
        assertThat(errors("frontend f\n bind :443 ssl crt nope.pem\n")).containsExactly(
                "t.cfg:2: 'bind': crt: cannot read '" + dir.resolve("nope.pem") + "' (no such file)");
        assertThat(errors("frontend f\n bind :443 ssl crt-list none.txt\n").get(0)).startsWith(
                "t.cfg:2: 'crt-list': cannot read file '" + dir.resolve("none.txt") + "'");
        assertThat(errors("frontend f\n bind :443 ssl crt-list opts.txt\n").get(0)).startsWith(
                "t.cfg:2: 'bind': crt-list " + dir.resolve("opts.txt") + ":1: per-certificate [ssl options]");
        assertThat(errors("frontend f\n bind :443 ssl crt-list neg.txt\n").get(0)).contains("negative SNI filter");
        assertThat(errors("frontend f\n bind :443 ssl crt-list gone.txt\n").get(0)).contains(
                "gone.txt:2: cannot read certificate '" + dir.resolve("missing.pem") + "' (no such file)");
        assertThat(errors("frontend f\n bind :443 ssl ca-file certs verify required\n").get(0))
                .contains("ca-file: cannot read", "a directory");
        assertThat(errors("frontend f\n bind :443 ssl verify required\n")).containsExactly(
                "t.cfg:2: 'bind': 'verify required' needs 'ca-file FILE' (the CAs that sign client certificates)");
        assertThat(errors("frontend f\n bind :443 ssl verify maybe ca-file ca.pem\n").get(0))
                .contains("'verify maybe' (expected none, optional or required)");
        assertThat(errors("frontend f\n bind :443 ssl ssl-min-ver TLSv1.4\n").get(0)).contains("unknown TLS version");
        assertThat(errors("frontend f\n bind :443 ssl ssl-max-ver TLSv1.1\n").get(0))
                .contains("no TLS version is left to enable");
        assertThat(errors("frontend f\n bind :443 ssl force-tlsv10\n").get(0)).contains("no TLS version is left");
        assertThat(errors("frontend f\n bind :443 ssl ca-file ca.pem verify optional crt-ignore-err all\n").get(0))
                .startsWith("t.cfg:2: 'bind': option 'crt-ignore-err' is not supported by Sluice");
        assertThat(errors("frontend f\n bind :443 ssl crl-file ca.pem\n").get(0)).contains("'crl-file' is not supported");
        assertThat(errors("frontend f\n bind :443 ssl crt\n")).containsExactly(
                "t.cfg:2: 'bind': option 'crt' needs a value");
        assertThat(errors("global\n ssl-default-bind-options strict-sni\n").get(0))
                .startsWith("t.cfg:2: 'ssl-default-bind-options': unknown option 'strict-sni'");
    }

    @Test
    void harmlessOptions_andTlsOptionsWithoutSsl_areWarnings() {
        ParseResult r = parse("frontend f\n bind :443 ssl prefer-client-ciphers npn h2\n bind :80 crt a.pem\n");
        assertThat(r.errors()).isEmpty();
        assertThat(r.warnings()).extracting(ConfigMessage::toString).containsExactly(
                "t.cfg:2: 'bind' option 'prefer-client-ciphers' is ignored by Sluice (it does not weaken TLS)",
                "t.cfg:2: 'bind' option 'npn' is ignored by Sluice (it does not weaken TLS)",
                "t.cfg:3: 'bind' TLS options [crt, " + dir.resolve("a.pem").getFileName() + "] have no effect without 'ssl'");
    }
}
