package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.app.SluiceProcess.Answer;
import dev.sluice.proxy.TestBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Sluice writes only where it is told to (STATE_DIR, CERTS_DIR): a process that is killed, as
 * Swarm does to a task it replaces, leaves nothing in the temporary directory, and an upload sent
 * as a form leaves nothing in the working directory.
 */
class StrayFilesAcceptanceTest {

    @RegisterExtension
    final SluiceProcesses sluices = new SluiceProcesses();

    @TempDir
    Path stateDir;

    @TempDir
    Path certsDir;

    @TempDir
    Path tmpDir;

    @TempDir
    Path workingDir;

    @Test
    void aKilledProcess_leavesNothingInTheTemporaryOrWorkingDirectory() throws Exception {
        SluiceProcess sluice = sluices.start("stray-files", Map.of(
                "CERTS_DIR", certsDir.toString(),
                "JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + tmpDir), stateDir, workingDir);
        Answer routed = sluice.get("/v1/docker-flow-proxy/reconfigure?serviceName=web&servicePath=/web&port=8080"
                + "&outboundHostname=127.0.0.1");
        assertThat(routed.status()).as("%s", routed).isEqualTo(200);
        assertThat(sluice.get("/v1/docker-flow-proxy/config").status()).isEqualTo(200);

        // a certificate sent as curl -F sends it: refused (the API takes the PEM as the body), and not
        // kept as an uploaded file either
        String boundary = "sluice-test-boundary";
        String form = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"cert\"; filename=\"shop.pem\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\nnot a pem\r\n--" + boundary + "--\r\n";
        HttpResponse<String> upload = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + sluice.adminPort() + "/v1/docker-flow-proxy/cert?certName=shop.pem"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .PUT(HttpRequest.BodyPublishers.ofString(form)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(400);
        assertThat(certsDir.resolve("shop.pem")).doesNotExist();

        sluice.kill();
        assertThat(sluice.isAlive()).isFalse();
        assertThat(list(tmpDir)).as("left in java.io.tmpdir").isEmpty();
        assertThat(list(workingDir)).as("left in the working directory").isEmpty();
        assertThat(list(stateDir)).as("the state directory keeps the service").contains("services.json");
    }

    /**
     * A temporary directory nothing can be written to (as on a read-only root filesystem without
     * a tmpfs): Sluice still starts and routes, on Java NIO and the JDK's TLS since Netty cannot
     * unpack its native libraries, and says why in a warning. It used to stop at start, when
     * Vert.x could not make its file cache there.
     */
    @Test
    void startsAndRoutes_whereTheTemporaryDirectoryCannotBeWritten_andWarnsOfTheSlowerPath() throws Exception {
        Path unwritable = Files.writeString(tmpDir.resolve("a-file"), "not a directory").resolve("tmp");
        try (TestBackend backend = TestBackend.start("app")) {
            // running as root here, so a path under a file stands for a read-only /tmp (Netty falls
            // back to /tmp when java.io.tmpdir is unusable; its work directory is named too)
            SluiceProcess sluice = sluices.start("unwritable-tmp", Map.of("JAVA_TOOL_OPTIONS",
                    "-Djava.io.tmpdir=" + unwritable + " -Dio.netty.native.workdir=" + unwritable), stateDir);
            assertThat(sluice.output()).contains("warning: native epoll is not available here",
                    "warning: OpenSSL (netty-tcnative) is not available here", "mount a tmpfs on /tmp", "nio transport");
            Answer routed = sluice.get("/v1/docker-flow-proxy/reconfigure?serviceName=app&servicePath=/app&port="
                    + backend.port() + "&outboundHostname=127.0.0.1");
            assertThat(routed.status()).as("%s", routed).isEqualTo(200);
            dev.sluice.proxy.RawHttpClient.Response answer = Http.get(sluice.proxyPort(), "/app/x");
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.bodyText()).contains("server=app");
        }
    }

    private static List<String> list(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
