package dev.sluice.app;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real HAProxy in the foreground ({@code -db}) on a config copy; its output goes to a log file. */
final class HaproxyProcess implements AutoCloseable {

    static final Path EXECUTABLE = Path.of("/usr/sbin/haproxy");
    private static final long START_TIMEOUT_MS = 10_000;

    private final Process process;
    private final Path log;

    private HaproxyProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts HAProxy and returns once every port in {@code ports} accepts connections. */
    static HaproxyProcess start(Path config, List<Integer> ports) throws IOException, InterruptedException {
        Path log = config.resolveSibling(config.getFileName() + ".haproxy.log");
        // -n caps connections below the config's own maxconn: the embedded configuration asks for
        // 10000, which needs more file descriptors than a test machine may allow (HAProxy exits).
        Process process = new ProcessBuilder(EXECUTABLE.toString(), "-db", "-n", "1000", "-f", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        HaproxyProcess haproxy = new HaproxyProcess(process, log);
        try {
            haproxy.awaitListening(ports);
            return haproxy;
        } catch (IOException | InterruptedException | RuntimeException e) {
            haproxy.close();
            throw e;
        }
    }

    private void awaitListening(List<Integer> ports) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        for (int port : ports) {
            while (!accepts(port)) {
                if (!process.isAlive()) {
                    throw new IOException("haproxy exited with " + process.exitValue() + ": " + output());
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("haproxy does not listen on " + port + " after "
                                          + START_TIMEOUT_MS + " ms: " + output());
                }
                Thread.sleep(20);
            }
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
