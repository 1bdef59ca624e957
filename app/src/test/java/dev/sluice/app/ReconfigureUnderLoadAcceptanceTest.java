package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.app.SluiceProcess.Answer;
import dev.sluice.proxy.RawHttpClient;
import dev.sluice.proxy.RawHttpClient.Response;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Changing other services never fails a request: while a few keep-alive clients hammer one
 * service, 1,000 reconfigure/remove calls add, replace and remove 50 other services; every
 * hammer request is answered 200 by the hammered service's backend, and a WebSocket opened
 * before the changes still echoes after them. The figures go to
 * {@code target/reconfigure-under-load.txt}.
 */
class ReconfigureUnderLoadAcceptanceTest {

    private static final int CALLS = 1_000;
    private static final int NAMES = 50;
    private static final int HAMMER_THREADS = 2;
    private static final int MAX_REQUESTS_PER_THREAD = 300_000;
    /**
     * Bounds of the change loop and of the hammer, so the test ends within a minute even on a
     * slow machine (two cores shared with other builds: 17-33 s for the loop, calls fsync the state).
     */
    private static final Duration LOOP_BOUND = Duration.ofSeconds(150);
    private static final Duration HAMMER_BOUND = Duration.ofSeconds(155);
    private static final Path FIGURES = Path.of("target", "reconfigure-under-load.txt");

    @RegisterExtension
    final SluiceProcesses sluices = new SluiceProcesses();

    @TempDir
    Path stateDir;

    @Test
    void requestsToOneService_neverFail_whileOtherServicesAreAddedReplacedAndRemoved() throws Exception {
        try (Origins origins = new Origins()) {
            SluiceProcess sluice = sluices.start("under-load", Map.of(), stateDir);
            reconfigure(sluice, "hammered", "/hammered", origins.get("hammered").port());
            reconfigure(sluice, "socket", "/ws", origins.get("socket").port());
            int churnA = origins.get("churn-a").port();
            int churnB = origins.get("churn-b").port();

            BlockingQueue<String> echoes = new LinkedBlockingQueue<>();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(URI.create("ws://127.0.0.1:" + sluice.proxyPort() + "/ws"), collectingInto(echoes))
                    .get(10, TimeUnit.SECONDS);
            socket.sendText("before", true).get(5, TimeUnit.SECONDS);
            assertThat(echoes.poll(5, TimeUnit.SECONDS)).isEqualTo("echo:before");

            Hammer hammer = new Hammer(sluice.proxyPort());
            ExecutorService threads = Executors.newFixedThreadPool(HAMMER_THREADS);
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < HAMMER_THREADS; t++) {
                int id = t;
                running.add(threads.submit(() -> hammer.run(id)));
            }
            Histogram latencyMicros = new Histogram(TimeUnit.SECONDS.toMicros(30), 3);
            List<String> rejectedCalls = new ArrayList<>();
            Set<String> live = new HashSet<>();
            int calls;
            long started;
            long elapsedNanos;
            try {
                await("the hammer is running").atMost(Duration.ofSeconds(10)).until(() -> hammer.sent.get() >= 100);
                started = System.nanoTime();
                long deadline = started + LOOP_BOUND.toNanos();
                for (calls = 0; calls < CALLS && System.nanoTime() < deadline; calls++) {
                    String name = "churn-" + (calls % NAMES);
                    String call = switch ((calls / NAMES) % 3) {
                        case 0 -> query(name, "/" + name, churnA);
                        case 1 -> query(name, "/" + name + "-v2", churnB);
                        default -> "remove?serviceName=" + name;
                    };
                    long t0 = System.nanoTime();
                    Answer a = sluice.get("/v1/docker-flow-proxy/" + call);
                    latencyMicros.recordValue(Math.max(1, (System.nanoTime() - t0) / 1_000));
                    if (a.status() != 200) {
                        rejectedCalls.add(call + " -> " + a);
                    } else if (call.startsWith("remove")) {
                        live.remove(name);
                    } else {
                        live.add(name);
                    }
                }
                elapsedNanos = System.nanoTime() - started;
            } finally {
                hammer.stop.set(true);
                for (Future<?> f : running) {
                    f.get(15, TimeUnit.SECONDS);
                }
                threads.shutdownNow();
            }

            socket.sendText("after", true).get(5, TimeUnit.SECONDS);
            String echoAfter = echoes.poll(5, TimeUnit.SECONDS);

            String figures = figures(calls, elapsedNanos, hammer, latencyMicros, rejectedCalls.size(), echoAfter);
            System.out.println(figures);
            Files.createDirectories(FIGURES.getParent());
            Files.writeString(FIGURES, figures, StandardCharsets.UTF_8);

            assertThat(calls).as("change calls made within %s", LOOP_BOUND).isEqualTo(CALLS);
            assertThat(rejectedCalls).as("change calls not answered 200").isEmpty();
            assertThat(hammer.failures).as("failed hammer requests (first ones; %d in all)", hammer.failed.get())
                    .isEmpty();
            assertThat(hammer.failed.get()).isZero();
            assertThat(hammer.sent.get()).isPositive();
            assertThat(echoAfter).as("the WebSocket opened before the changes").isEqualTo("echo:after");
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");

            // The table ends where the acknowledged calls left it.
            Set<String> listed = sluice.get("/v1/docker-flow-proxy/config?type=json").json()
                    .getJsonObject("Services").fieldNames();
            Set<String> expected = new HashSet<>(live);
            expected.addAll(List.of("hammered", "socket"));
            assertThat(listed).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    private static String query(String name, String path, int port) {
        return "reconfigure?serviceName=" + name + "&servicePath=" + path + "&port=" + port
                + "&outboundHostname=127.0.0.1";
    }

    private static void reconfigure(SluiceProcess sluice, String name, String path, int port) throws IOException {
        Answer a = sluice.get("/v1/docker-flow-proxy/" + query(name, path, port));
        assertThat(a.status()).as("reconfigure %s: %s", name, a).isEqualTo(200);
    }

    private static String figures(int calls, long elapsedNanos, Hammer hammer, Histogram latency, int rejected,
                                  String echoAfter) {
        return String.format("""
                reconfigure under load
                  change calls          %d (%d not answered 200) in %.1f s
                  call latency (ms)     p50 %.2f  p99 %.2f  max %.2f
                  hammer requests sent  %d by %d keep-alive clients
                  hammer failures       %d (%d reconnects)
                  websocket after loop  %s
                """,
                calls, rejected, elapsedNanos / 1e9,
                latency.getValueAtPercentile(50) / 1e3, latency.getValueAtPercentile(99) / 1e3,
                latency.getMaxValue() / 1e3,
                hammer.sent.get(), HAMMER_THREADS, hammer.failed.get(), hammer.reconnects.get(), echoAfter);
    }

    private static WebSocket.Listener collectingInto(BlockingQueue<String> messages) {
        return new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    messages.add(partial.toString());
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }
        };
    }

    /** Keep-alive clients sending GETs to the hammered service until told to stop (or their bounds). */
    private static final class Hammer {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong sent = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong reconnects = new AtomicLong();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private final int port;
        private final long deadline = System.nanoTime() + HAMMER_BOUND.toNanos();

        Hammer(int port) {
            this.port = port;
        }

        void run(int id) {
            RawHttpClient client = null;
            try {
                for (int n = 0; n < MAX_REQUESTS_PER_THREAD && !stop.get() && System.nanoTime() < deadline; n++) {
                    String path = "/hammered/" + id + "/" + n;
                    try {
                        if (client == null) {
                            client = new RawHttpClient(port, Http.TIMEOUT_MS);
                        }
                        sent.incrementAndGet();
                        Response r = client.get(path);
                        if (r.status() != 200 || !"hammered".equals(r.header("x-server"))
                                || !r.bodyText().startsWith("server=hammered\n")) {
                            fail(path + " -> " + r.statusLine() + " from " + r.header("x-server"));
                        }
                        if ("close".equalsIgnoreCase(r.header("connection"))) {
                            client = closeQuietly(client);
                        }
                    } catch (IOException | RuntimeException e) {
                        fail(path + " -> " + e);
                        client = closeQuietly(client);
                    }
                }
            } finally {
                if (client != null) {
                    try {
                        client.close(); // the end of the run, not a reconnect
                    } catch (IOException ignored) {
                        // closing anyway
                    }
                }
            }
        }

        private void fail(String what) {
            if (failed.incrementAndGet() <= 10) {
                failures.add(what);
            }
        }

        private RawHttpClient closeQuietly(RawHttpClient client) {
            if (client != null) {
                reconnects.incrementAndGet();
                try {
                    client.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            return null;
        }
    }
}
