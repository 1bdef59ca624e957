package dev.sluice.routing.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServerTemplateConfigTest {

    private static final String CONFIG = """
            resolvers docker
                nameserver dns 127.0.0.11:53
                hold valid 10s
                accepted_payload_size 8192
                resolve_retries 3
            backend web
                cookie web insert indirect nocache
                server-template web 3 tasks.web:8080 check inter 3s resolvers docker cookie web
                server fixed 10.0.0.9:80
            """;

    private static ParseResult parse(String text) {
        return ConfigParser.parse(text, "t.cfg", null);
    }

    private static List<String> errors(String text) {
        ParseResult r = parse(text);
        assertThat(r.config()).isNull();
        return r.errors().stream().map(ConfigMessage::toString).toList();
    }

    @Test
    void serverTemplate_declaresCountSlotsNamedLikeHaproxy() {
        ParseResult r = parse(CONFIG);
        assertThat(r.errors()).isEmpty();
        List<ServerConfig> servers = r.config().backend("web").servers();
        assertThat(servers).extracting(ServerConfig::name).containsExactly("web1", "web2", "web3", "fixed");
        ServerConfig slot = servers.get(1);
        assertThat(slot.template()).isEqualTo("tasks.web");
        assertThat(slot.host()).isEqualTo("tasks.web");
        assertThat(slot.port()).isEqualTo(8080);
        assertThat(slot.check().enabled()).isTrue();
        assertThat(slot.check().interMs()).isEqualTo(3000);
        assertThat(slot.resolvers()).isEqualTo("docker");
        assertThat(slot.cookie()).isEqualTo("web");
        assertThat(servers.get(3).template()).isNull();
    }

    @Test
    void resolversSection_isKeptAndItsTuningIsAWarning() {
        ParseResult r = parse(CONFIG);
        ResolversConfig docker = r.config().resolvers("docker");
        assertThat(docker.nameservers()).containsExactly(new ResolversConfig.Nameserver("dns", "127.0.0.11", 53));
        assertThat(docker.holdValidMs()).isEqualTo(10_000);
        assertThat(r.warnings()).extracting(ConfigMessage::toString)
                .anyMatch(w -> w.startsWith("t.cfg:4: 'accepted_payload_size' is ignored"))
                .anyMatch(w -> w.startsWith("t.cfg:5: 'resolve_retries' is ignored"))
                .noneMatch(w -> w.contains("'resolvers'"));
    }

    @Test
    void serverTemplateAndResolvers_renderBackAsOneLineAndParseToAnEqualModel() {
        ProxyConfig first = parse(CONFIG).config();
        String rendered = ConfigRenderer.render(first);
        assertThat(rendered).contains("server-template web 3 tasks.web:8080 check inter 3s cookie web resolvers docker\n",
                "\nresolvers docker\n    nameserver dns 127.0.0.11:53\n    hold valid 10s\n");
        ParseResult second = parse(rendered);
        assertThat(second.errors()).isEmpty();
        assertThat(second.config()).isEqualTo(first);
        assertThat(ConfigRenderer.render(second.config())).isEqualTo(rendered);
    }

    @Test
    void badCount_missingPort_unknownResolvers_areErrorsWithFileAndLine() {
        assertThat(errors("backend b\n server-template s 0 tasks.x:80\n"))
                .containsExactly("t.cfg:2: 'server-template s count': invalid value '0' (expected an integer 1-4096)");
        assertThat(errors("backend b\n server-template s many tasks.x:80\n")).singleElement().asString()
                .startsWith("t.cfg:2: 'server-template s count': ");
        assertThat(errors("backend b\n server-template s 2 tasks.x\n")).containsExactly(
                "t.cfg:2: 'server-template s': invalid address 'tasks.x' (expected FQDN:PORT with a port 1-65535)");
        assertThat(errors("backend b\n server-template s 3 tasks.x:80 resolvers nope\n")).containsExactly(
                "t.cfg:2: 'server-template s1': no resolvers section named 'nope' (expected the name of a resolvers "
                + "section)");
        assertThat(errors("resolvers r\n nameserver dns 127.0.0.11\n")).containsExactly(
                "t.cfg:2: 'nameserver dns': invalid address '127.0.0.11' (expected IP:PORT, e.g. 127.0.0.11:53)");
        assertThat(errors("frontend f\n server-template s 2 tasks.x:80\n")).singleElement().asString()
                .contains("not allowed in a frontend section");
    }

    @Test
    void serverResolversOption_referencesASection() {
        ParseResult r = parse("resolvers dns\n nameserver a 10.0.0.2:53\nbackend b\n server s app:80 resolvers dns\n");
        assertThat(r.errors()).isEmpty();
        assertThat(r.config().backend("b").servers().get(0).resolvers()).isEqualTo("dns");
    }
}
