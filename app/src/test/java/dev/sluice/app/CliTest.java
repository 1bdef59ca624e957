package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.ParseResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The command line as a user runs it: output, error output and exit code. */
class CliTest {

    @TempDir
    Path dir;

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private static final String GOOD = """
            global
                maxconn 2000
            userlist ops
                user alice insecure-password wonderland
                user bob password $5$5svz2m4bS9KHGxZM$m0r4pbBJtxV3NBCN2oiLqvp7u6sGAgQNFh9SBvCC54/
            defaults
                mode http
                timeout connect 3s
                timeout client 30s
                timeout server 30s
                option forwardfor
            frontend web
                bind 127.0.0.1:8080
                bind :8443 ssl alpn h2,http/1.1
                acl api path_beg /api
                acl admin hdr_dom(host) -i admin.example
                acl authed http_auth(ops)
                http-request auth realm Ops if admin !authed
                http-request deny deny_status 429 if { hdr_cnt(X-Flood) gt 3 }
                http-request redirect scheme https code 301 if { hdr(X-Forwarded-Proto) http }
                http-request set-header X-Env "prod blue"
                http-response set-header X-Frame-Options DENY
                use_backend api if api or { path_reg ^/v[0-9]+/ }
                use_backend static unless { method POST PUT }
                default_backend app
            backend api
                balance leastconn
                option http-server-close
                server a1 10.0.0.1:9000 weight 3 check inter 5s
                server a2 10.0.0.2:9000 maxconn 100
                server a3 10.0.0.3:9000 backup
            backend static
                balance source
                server s1 10.0.1.1:80
                server s2 10.0.1.2:80 disabled
            backend app
                balance first
                retries 2
                option redispatch
                server app1 10.0.2.1:8000
            listen stats
                bind 127.0.0.1:9100
                balance uri
                server st1 10.0.3.1:9100
            """;

    @Test
    void check_reportsEveryErrorAsFileLineMessage_andExits1() throws Exception {
        Path file = write("bad.cfg", """
                defaults
                    mode http
                    timeout client 30x
                frontend fe
                    bind 127.0.0.1:8080
                    use_backend app if { nosuchfetch foo }
                    default_backend app
                backend app
                    balance fastest
                    server s1 127.0.0.1:9000
                """);

        Outcome o = run("check", "-f", file.toString());

        assertThat(o.code()).isEqualTo(1);
        assertThat(o.err().lines().filter(l -> l.matches("\\Q" + file + "\\E:\\d+: .*")))
                .hasSize(3)
                .anySatisfy(l -> assertThat(l).startsWith(file + ":3: ").contains("'30x'"))
                .anySatisfy(l -> assertThat(l).startsWith(file + ":6: ").contains("'nosuchfetch'"))
                .anySatisfy(l -> assertThat(l).startsWith(file + ":9: ").contains("'fastest'"));
        assertThat(o.err()).contains(file + ": 3 error(s)");
        assertThat(o.out()).isEmpty();
    }

    @Test
    void check_acceptsAValidFile_andExits0() throws Exception {
        Path file = write("good.cfg", GOOD);

        Outcome o = run("check", "-f", file.toString());

        assertThat(o.err()).doesNotContain("error");
        assertThat(o.code()).isEqualTo(0);
        assertThat(o.out()).contains("configuration is valid");
    }

    @Test
    void check_ofAMissingFile_exits1NamingTheFile() {
        Outcome o = run("check", "-f", dir.resolve("absent.cfg").toString());

        assertThat(o.code()).isEqualTo(1);
        assertThat(o.err()).contains("absent.cfg", "no such file").doesNotContain("at dev.sluice");
    }

    @Test
    void render_printsAConfigurationThatParsesToTheSameModel() throws Exception {
        Path file = write("good.cfg", GOOD);

        Outcome o = run("render", "-f", file.toString());

        assertThat(o.code()).isEqualTo(0);
        ParseResult original = ConfigParser.parse(file);
        ParseResult again = ConfigParser.parse(o.out(), "rendered.cfg", dir);
        assertThat(again.errors()).as("rendered:\n%s", o.out()).isEmpty();
        assertThat(again.config()).isEqualTo(original.config());
        Outcome twice = run("render", "-f", write("rendered.cfg", o.out()).toString());
        assertThat(twice.out()).isEqualTo(o.out());
    }

    @Test
    void version_printsTheBuiltVersion() {
        Outcome o = run("version");

        assertThat(o.code()).isEqualTo(0);
        assertThat(o.out().strip()).matches("sluice \\d+\\.\\d+\\.\\d+\\S*");
    }

    @Test
    void unknownCommandOrArgument_exits2WithUsage() {
        Outcome command = run("frobnicate");
        assertThat(command.code()).isEqualTo(2);
        assertThat(command.err()).contains("unknown command 'frobnicate'", "usage:");

        Outcome argument = run("check", "--colour", "red");
        assertThat(argument.code()).isEqualTo(2);
        assertThat(argument.err()).contains("--colour", "usage:");

        assertThat(run().code()).isEqualTo(2);
    }

    @Test
    void run_onATakenPort_exits1WithOneLineNamingThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            Path file = write("taken.cfg", """
                    defaults
                        mode http
                        timeout connect 1s
                        timeout client 1s
                        timeout server 1s
                    frontend fe
                        bind 127.0.0.1:%d
                        default_backend app
                    backend app
                        server s1 127.0.0.1:9
                    """.formatted(port));

            // run blocks when it starts; bounded so a start that wrongly succeeds fails the test
            CompletableFuture<Outcome> outcome = new CompletableFuture<>();
            Thread runner = new Thread(() -> outcome.complete(run("run", "-f", file.toString())), "cli-run");
            runner.setDaemon(true);
            runner.start();
            Outcome o = outcome.get(10, TimeUnit.SECONDS);

            assertThat(o.code()).isEqualTo(1);
            assertThat(o.err().lines().toList()).hasSize(1).first().asString().contains(Integer.toString(port));
            assertThat(o.err()).doesNotContain("at dev.sluice", "Exception");
            assertThat(o.out()).isEmpty();
        }
    }

    @Test
    void render_withAnInvalidDefaultPorts_exits1WithOneLine() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Main.run(new String[] {"render"}, Map.of("DEFAULT_PORTS", "99999"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("DEFAULT_PORTS", "99999");
    }

    @Test
    void run_withAnUnknownTransport_exits1NamingTheChoices_beforeOpeningAnything() throws Exception {
        assertRunRefused("sluice: TRANSPORT: 'kqueue' (expected epoll, io_uring or nio)", "--transport", "kqueue");
    }

    @Test
    void run_withAnUnknownControlPriority_exits1NamingTheChoices_beforeOpeningAnything() throws Exception {
        assertRunRefused("sluice: CONTROL_PRIORITY: 'high' (expected one of: normal, idle)",
                "--control-priority", "high");
    }

    /**
     * {@code run} with {@code flagAndValue} on a free port exits 1 with {@code errorLine} alone and
     * nothing on standard output, and leaves the port free: it opened nothing.
     */
    private void assertRunRefused(String errorLine, String... flagAndValue) throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = probe.getLocalPort();
            probe.close();
            List<String> args = new ArrayList<>(List.of("run"));
            args.addAll(List.of(flagAndValue));
            args.addAll(List.of("--default-ports", Integer.toString(port), "--admin-bind", "127.0.0.1",
                    "--state-dir", dir.resolve("state").toString()));

            CompletableFuture<Outcome> outcome = new CompletableFuture<>();
            Thread runner = new Thread(() -> outcome.complete(run(args.toArray(String[]::new))), "cli-run");
            runner.setDaemon(true);
            runner.start();
            Outcome o = outcome.get(20, TimeUnit.SECONDS);

            assertThat(o.code()).isEqualTo(1);
            assertThat(o.err().lines().toList()).containsExactly(errorLine);
            assertThat(o.out()).isEmpty();
            try (ServerSocket again = new ServerSocket(port)) {
                assertThat(again.getLocalPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void run_withATakenAdminPort_exits1NamingThePortAndClosesTheProxy() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int adminPort = taken.getLocalPort();
            int proxyPort = probe.getLocalPort();
            probe.close();

            CompletableFuture<Outcome> outcome = new CompletableFuture<>();
            Thread runner = new Thread(() -> outcome.complete(run("run", "--default-ports", Integer.toString(proxyPort),
                    "--admin-bind", "127.0.0.1", "--admin-port", Integer.toString(adminPort))), "cli-run");
            runner.setDaemon(true);
            runner.start();
            Outcome o = outcome.get(20, TimeUnit.SECONDS);

            assertThat(o.code()).isEqualTo(1);
            assertThat(o.err()).contains("127.0.0.1:" + adminPort, "ADMIN_PORT").doesNotContain("at dev.sluice");
            // The proxy it had opened is closed again: its port can be bound.
            try (ServerSocket again = new ServerSocket(proxyPort)) {
                assertThat(again.getLocalPort()).isEqualTo(proxyPort);
            }
        }
    }
}
