package dev.sluice.app;

import static dev.sluice.app.SwarmFiles.execForm;
import static dev.sluice.app.SwarmFiles.only;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.app.SwarmFiles.Instruction;
import dev.sluice.routing.Bind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The image's HEALTHCHECK, run as Docker runs it ({@code /bin/sh -c}), against Sluice started the
 * way the image starts it: the ENTRYPOINT's JVM flags, the image's variables (its directories
 * moved to a temporary one) and CMD. The check passes while Sluice runs and fails once it stopped.
 */
class ImageHealthCheckTest {

    @TempDir
    Path dir;

    @Test
    void healthCheck_passesWhileSluiceRuns_andFailsWhenItStopped() throws Exception {
        Path curl = Path.of("/usr/bin/curl");
        assertThat(Files.isExecutable(curl)).as("/usr/bin/curl (apt-get install -y curl; .ci/run does)").isTrue();
        List<Instruction> dockerfile = SwarmFiles.dockerfile();
        String healthCheck = only(dockerfile, "HEALTHCHECK");
        String command = healthCheck.substring(healthCheck.indexOf(" CMD ") + " CMD ".length());

        int adminPort = SluiceProcess.freePort();
        Process sluice = startAsTheImageDoes(dockerfile, adminPort);
        Path out = dir.resolve("sluice.out");
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            await("Sluice answers on its admin port").atMost(SluiceProcess.START_DEADLINE)
                    .pollInterval(Duration.ofMillis(100)).until(() -> {
                        assertThat(sluice.isAlive()).as("Sluice runs:\n%s", Files.readString(out)).isTrue();
                        return answers(client, adminPort);
                    });
            assertThat(runHealthCheck(command, adminPort)).as("the health check while Sluice runs:\n%s",
                    Files.readString(out)).isZero();
        } finally {
            sluice.destroy();
            assertThat(sluice.waitFor(30, TimeUnit.SECONDS)).as("Sluice stops on SIGTERM").isTrue();
        }
        assertThat(runHealthCheck(command, adminPort)).as("the health check once Sluice stopped").isEqualTo(1);
    }

    /** java [ENTRYPOINT's JVM flags] -cp [the test class path] Main [CMD], with the image's environment. */
    private Process startAsTheImageDoes(List<Instruction> dockerfile, int adminPort) throws IOException {
        List<String> entrypoint = execForm(only(dockerfile, "ENTRYPOINT"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(entrypoint.subList(1, entrypoint.indexOf("-jar")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(execForm(only(dockerfile, "CMD")));

        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sluice.out").toFile());
        Map<String, String> env = builder.environment();
        env.keySet().retainAll(List.of("PATH", "HOME", "LANG"));
        // the image's variables; its directories (STATE_DIR, CERTS_DIR) become temporary ones
        SwarmFiles.env(dockerfile).forEach((name, value) ->
                env.put(name, value.startsWith("/") ? dir.resolve(name.toLowerCase()).toString() : value));
        env.put("DEFAULT_PORTS", freePortsLike(Settings.DEFAULT_PORTS));
        env.put("ADMIN_PORT", Integer.toString(adminPort));
        env.put("ADMIN_BIND", "127.0.0.1");
        env.put("SECRETS_DIR", dir.resolve("secrets").toString());
        return builder.start();
    }

    /** {@code 80,443:ssl} with free ports instead. */
    private static String freePortsLike(String ports) throws IOException {
        List<String> out = new ArrayList<>();
        for (Bind bind : Settings.parsePorts("DEFAULT_PORTS", ports)) {
            out.add(SluiceProcess.freePort() + (bind.ssl() ? ":ssl" : ""));
        }
        return out.stream().collect(Collectors.joining(","));
    }

    private static boolean answers(HttpClient client, int port) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .timeout(Duration.ofSeconds(2)).build();
            client.send(request, HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The check's exit status, as {@code docker} runs a shell-form CMD, with ADMIN_PORT set as in the container. */
    private int runHealthCheck(String command, int adminPort) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true);
        builder.environment().put("ADMIN_PORT", Integer.toString(adminPort));
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the health check finished: %s", output).isTrue();
        return p.exitValue();
    }
}
