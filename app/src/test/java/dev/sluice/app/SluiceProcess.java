package dev.sluice.app;

import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sluice as a user runs it: a separate OS process ({@code java -cp <test class path>
 * dev.sluice.app.Main run}) configured only by its environment, with its stdout and stderr
 * captured to files under {@code target/sluice-processes/} so a failing test can show them.
 * {@link #start} returns once the process printed its {@code sluice ... started} line and
 * answers {@code ping} with 200. The admin helpers send the {@code ADMIN_USER}/{@code ADMIN_PASS}
 * credentials of the environment, when it has them, unless a call says otherwise.
 */
final class SluiceProcess implements AutoCloseable {

    static final Duration START_DEADLINE = Duration.ofSeconds(30);
    private static final Path LOG_DIR = Path.of("target", "sluice-processes");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /** An admin API answer. */
    record Answer(int status, String body) {
        JsonObject json() {
            try {
                return new JsonObject(body);
            } catch (RuntimeException e) {
                throw new AssertionError("not a JSON object (status " + status + "): " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private final Process process;
    private final Map<String, String> env;
    private final Path stdout;
    private final Path stderr;
    private final int proxyPort;
    private final int adminPort;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private SluiceProcess(Process process, Map<String, String> env, Path stdout, Path stderr) {
        this.process = process;
        this.env = env;
        this.stdout = stdout;
        this.stderr = stderr;
        // the first of DEFAULT_PORTS (e.g. "8000,8443:ssl"): the plain HTTP port
        this.proxyPort = Integer.parseInt(env.get("DEFAULT_PORTS").split(",")[0].split(":")[0].trim());
        this.adminPort = Integer.parseInt(env.get("ADMIN_PORT"));
    }

    /**
     * Starts Sluice with {@code env} plus, unless {@code env} sets them, {@code DEFAULT_PORTS} and
     * {@code ADMIN_PORT} (free ports), {@code ADMIN_BIND=127.0.0.1} and {@code STATE_DIR=stateDir},
     * and waits until it is ready.
     */
    static SluiceProcess start(String label, Map<String, String> env, Path stateDir) throws IOException {
        return start(label, env, stateDir, null);
    }

    /** Like the other, run in {@code workingDir} ({@code null}: this JVM's). */
    static SluiceProcess start(String label, Map<String, String> env, Path stateDir, Path workingDir)
            throws IOException {
        Map<String, String> full = new HashMap<>(env);
        full.putIfAbsent("DEFAULT_PORTS", Integer.toString(freePort()));
        full.putIfAbsent("ADMIN_PORT", Integer.toString(freePort()));
        full.putIfAbsent("ADMIN_BIND", "127.0.0.1");
        full.putIfAbsent("STATE_DIR", stateDir.toString());

        Files.createDirectories(LOG_DIR);
        String base = label + "-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
        Path out = LOG_DIR.resolve(base + ".stdout");
        Path err = LOG_DIR.resolve(base + ".stderr");

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.sluice.app.Main");
        command.add("run");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDir == null ? null : workingDir.toFile())
                .redirectOutput(out.toFile().getAbsoluteFile())
                .redirectError(err.toFile().getAbsoluteFile());
        // Only what Sluice is given: nothing of the environment the build runs in leaks into it.
        Map<String, String> childEnv = builder.environment();
        childEnv.keySet().retainAll(List.of("PATH", "HOME", "LANG", "TMPDIR"));
        childEnv.putAll(full);

        SluiceProcess sluice = new SluiceProcess(builder.start(), Map.copyOf(full), out, err);
        try {
            sluice.awaitReady();
        } catch (RuntimeException | Error e) {
            sluice.kill();
            throw new AssertionError("Sluice did not start within " + START_DEADLINE + "\n" + sluice.output(), e);
        }
        return sluice;
    }

    /**
     * A port nothing listens on at the moment, for a process or a bind to take a moment later. It
     * is picked below the kernel's ephemeral range when there is room: an ephemeral port (what a
     * bind to port 0 or an outgoing connection of any test gets) could otherwise be handed out
     * again before the bind, as a clean-clone CI run saw once ("Address already in use"). A
     * process that binds it on purpose could still take it.
     */
    static int freePort() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        int low = 10_000;
        int high = ephemeralLow();
        for (int i = 0; high - low >= 1000 && i < 100; i++) {
            int port = low + java.util.concurrent.ThreadLocalRandom.current().nextInt(high - low);
            try (ServerSocket s = new ServerSocket(port, 1, loopback)) {
                return port;
            } catch (IOException taken) {
                // in use: try another
            }
        }
        try (ServerSocket s = new ServerSocket(0, 1, loopback)) {
            return s.getLocalPort();
        }
    }

    /** The first port of the kernel's ephemeral range (Linux), else the IANA range's 49152. */
    private static int ephemeralLow() {
        try {
            // readAllLines: readString of this /proc file returned only its first byte here
            String range = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0);
            return Integer.parseInt(range.trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 49152;
        }
    }

    private void awaitReady() {
        await("Sluice prints 'sluice ... started' and answers ping 200")
                .atMost(START_DEADLINE)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("Sluice exited with " + process.exitValue());
                    }
                    return startedLinePrinted() && pingAnswers();
                });
    }

    private boolean startedLinePrinted() throws IOException {
        return Files.readAllLines(stdout, StandardCharsets.UTF_8).stream()
                .anyMatch(l -> l.startsWith("sluice ") && l.contains(" started"));
    }

    private boolean pingAnswers() {
        try {
            return get("/v1/docker-flow-proxy/ping").status() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** The port of frontend {@code services} (DEFAULT_PORTS). */
    int proxyPort() {
        return proxyPort;
    }

    int adminPort() {
        return adminPort;
    }

    Map<String, String> env() {
        return env;
    }

    /** The operating system's id of the process. */
    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** A GET of {@code pathAndQuery} on the admin port, with the admin credentials if there are any. */
    Answer get(String pathAndQuery) throws IOException {
        return request("GET", pathAndQuery, defaultAuthorization());
    }

    /** A GET of {@code pathAndQuery} on the admin port with exactly this Authorization (none when null). */
    Answer getWithAuthorization(String pathAndQuery, String authorization) throws IOException {
        return request("GET", pathAndQuery, authorization);
    }

    /** {@code PUT} with {@code body}, with the environment's admin credentials. */
    Answer put(String pathAndQuery, String body) throws IOException {
        return request("PUT", pathAndQuery, defaultAuthorization(), HttpRequest.BodyPublishers.ofString(body));
    }

    /** A {@code method} request without a body, with the admin credentials if there are any. */
    Answer request(String method, String pathAndQuery) throws IOException {
        return request(method, pathAndQuery, defaultAuthorization());
    }

    private Answer request(String method, String pathAndQuery, String authorization) throws IOException {
        return request(method, pathAndQuery, authorization, HttpRequest.BodyPublishers.noBody());
    }

    private Answer request(String method, String pathAndQuery, String authorization, HttpRequest.BodyPublisher body)
            throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + env.get("ADMIN_BIND") + ":" + adminPort + pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .method(method, body);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** {@code Basic base64(user:pass)}. */
    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private String defaultAuthorization() {
        String user = env.get("ADMIN_USER");
        String pass = env.get("ADMIN_PASS");
        return user == null || pass == null ? null : basic(user, pass);
    }

    /** SIGKILL on Linux: no shutdown hook runs, nothing is flushed. Waits until the process is gone. */
    void kill() {
        process.destroyForcibly();
        waitForExit();
    }

    /** SIGTERM (shutdown hooks run), then SIGKILL if it has not exited within 10 s. */
    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    private void waitForExit() {
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the process wrote so far, for failure messages. */
    String output() {
        return "---- " + stdout + " ----\n" + read(stdout) + "---- " + stderr + " ----\n" + read(stderr);
    }

    private static String read(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            // the end is what matters when a process wrote a lot
            return text.length() > 20_000 ? "...\n" + text.substring(text.length() - 20_000) : text;
        } catch (IOException e) {
            return "(unreadable: " + e + ")\n";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
