package dev.sluice.routing.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderRoundTripTest {

    @TempDir
    Path dir;

    private static final String RICH = """
            global
                maxconn 2000
                tune.bufsize 32768
                tune.http.maxhdr 80
                ssl-default-bind-options no-sslv3 no-tls-tickets ssl-min-ver TLSv1.2
                ssl-default-bind-ciphers ECDH+AESGCM:!aNULL
                daemon
            userlist admins
                group ops users bob,ann
                user bob password $1$salt$qJH7.N4xYta3aEG/dfqo/0 groups ops
                user ann insecure-password "pass word#1"
            defaults
                mode http
                timeout connect 5s
                timeout client 90s
                timeout tunnel 1500ms
                option forwardfor except 127.0.0.0/8 header X-Client
                option http-server-close
                errorfile 503 503.http
            frontend services
                bind *:80
                bind 127.0.0.1:8443 ssl alpn h2,http/1.1 ssl-max-ver TLSv1.3 strict-sni
                bind [::]:81
                maxconn 300
                acl api path_beg -i /api /v2
                acl api hdr_dom(host) -i example.com
                acl neg hdr(x-n) -- -1 "two words" 'it''s'
                acl ports dst_port 8000:8100 443
                acl net src 10.0.0.0/8 ::1
                acl auth http_auth(admins)
                acl lst path -m reg ^/a\\d+
                http-request redirect scheme https code 301 unless { ssl_fc }
                http-request auth realm "Admin area" if { path_beg /admin } !auth
                http-request set-header X-Forwarded-Proto https if { ssl_fc } || { dst_port 443 }
                http-request replace-path ^/api/(.*) /\\1
                http-request return status 200 content-type text/plain string "ok\\n" if { path /health }
                http-request deny deny_status 429 if net !ports
                http-response set-header X-Frame-Options DENY
                use_backend api if api
                use_backend api if { hdr(host),lower -m beg api. } or neg
                default_backend site
            backend api
                balance hdr(X-User)
                retries 5
                option redispatch
                default-server inter 3s
                option httpchk GET /health HTTP/1.1
                http-check expect status 200,204
                server a1 10.0.0.1:8080 check rise 3 fall 2 weight 10 maxconn 50 cookie a1
                server a2 [2001:db8::1]:8080 backup disabled port 9000 addr 10.9.9.9 slowstart 1m
                http-request set-header X-Backend api
                http-request set-header X-Template '${NOT_EXPANDED}'
                http-request add-header X-Price "\\$5"
            backend site
                mode http
                balance static-rr
                option httpclose
                server s site.internal:80
            listen stats
                bind :9000
                option httpchk
                mode tcp
                balance source
                server local 127.0.0.1:9001
            """;

    private void assertRoundTrip(ParseResult first, String name) {
        assertThat(first.errors()).as("errors of %s", name).isEmpty();
        String rendered = ConfigRenderer.render(first.config());
        ParseResult second = ConfigParser.parse(rendered, name + " (rendered)", dir);
        assertThat(second.errors()).as("errors of rendered %s:\n%s", name, rendered).isEmpty();
        assertThat(second.config()).as("rendered:\n%s", rendered).isEqualTo(first.config());
        assertThat(ConfigRenderer.render(second.config())).isEqualTo(rendered);
    }

    @Test
    void richConfig_parsesRendersAndParsesToAnEqualModel() throws IOException {
        Files.writeString(dir.resolve("503.http"), "HTTP/1.0 503 x\r\n\r\n");
        assertRoundTrip(ConfigParser.parse(RICH, "rich.cfg", dir), "rich.cfg");
    }

    @Test
    void embeddedAndExampleConfigs_roundTrip() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(Path.of("../conf/sluice.cfg"));
        Path examples = Path.of("../conf/examples");
        if (Files.isDirectory(examples)) {
            try (Stream<Path> s = Files.list(examples)) {
                s.filter(p -> p.toString().endsWith(".cfg")).sorted().forEach(files::add);
            }
        }
        for (Path f : files) {
            assertRoundTrip(ConfigParser.parse(f), f.toString());
        }
    }

    @Test
    void listenSections_renderAsListenAndKeepTheOrderOfFrontendsAndBackends() {
        String text = "userlist ops\n user a insecure-password b\n"
                + "backend a\n server a1 10.0.0.1:80\n"
                + "listen admin\n bind :8081\n retries 4\n acl ok http_auth(ops)\n http-request auth unless ok\n"
                + " use_backend a if { path_beg /a }\n server s 10.0.0.2:80\n"
                + "frontend f\n bind :80\n default_backend admin\n"
                + "backend b\n"
                + "listen tcp\n mode tcp\n bind :5432\n balance leastconn\n server db 10.0.0.3:5432\n"
                + "listen other\n bind :8082\n default_backend b\n";
        ParseResult first = ConfigParser.parse(text, "l.cfg", null);
        assertRoundTrip(first, "l.cfg");
        String rendered = ConfigRenderer.render(first.config());
        assertThat(rendered).contains("\nlisten admin\n", "\nlisten tcp\n").doesNotContain("frontend admin");
        // a listen whose default backend is another one is written as its two halves
        assertThat(rendered).contains("\nfrontend other\n", "\nbackend other\n");
    }

    @Test
    void differentConfigs_renderDifferently() {
        ProxyConfig a = ConfigParser.parse("backend b\n server s 1.1.1.1:80\n", "a", null).config();
        ProxyConfig b = ConfigParser.parse("backend b\n server s 1.1.1.1:81\n", "b", null).config();
        assertThat(a).isNotEqualTo(b);
        assertThat(ConfigRenderer.render(a)).isNotEqualTo(ConfigRenderer.render(b));
    }
}
