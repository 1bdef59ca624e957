package dev.sluice.benchmarks.load;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An open-loop HTTP/1.1 load client, in the manner of wrk2: requests go out on a fixed schedule
 * ({@code --rate} per second, spread evenly over {@code --connections} keep-alive connections and
 * phased so the whole stream is even; reached by a ramp over the first half of {@code --warmup}),
 * whatever the server does, and each latency is measured
 * from the time the request was due, not from when it could finally be sent. A closed-loop client
 * (wrk, ab) waits for each answer before the next request and so stops asking while the server
 * stalls: it records one slow request where users would have seen hundreds (coordinated omission).
 *
 * <p>One event loop thread does everything (the harness pins the client to one core).
 * Usage: {@code java -cp benchmarks.jar dev.sluice.benchmarks.load.OpenLoop --url
 * http://127.0.0.1:PORT/empty --rate 25000 --connections 50 --duration 20s --warmup 5s
 * [--timeout 5s] [--out FILE]}. It prints a report and, last, one line for scripts:
 * {@code OPENLOOP rate=... achieved=... count=... errors=... p50=... p99=... p999=... max=... valid=yes}.
 * Exit status 0 when it ran (even when the row is invalid), 1 when it could not connect, 2 on a
 * usage error.
 */
public final class OpenLoop {

    private static final long CONNECT_TIMEOUT_MS = 10_000;
    /** The first requests are due this long after the last connection is up. */
    private static final long START_DELAY_NANOS = 20_000_000;
    private static final int MAX_WARNINGS = 5;
    private static final AtomicInteger WARNINGS = new AtomicInteger();

    private OpenLoop() {
    }

    public static void main(String[] args) throws Exception {
        OpenLoopOptions options;
        try {
            options = OpenLoopOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("OpenLoop: " + e.getMessage());
            System.err.println(OpenLoopOptions.USAGE);
            System.exit(2);
            return;
        }
        boolean epoll = Epoll.isAvailable();
        LatencyRecorder recorder;
        try {
            recorder = run(options, epoll);
        } catch (ConnectFailure e) {
            System.err.println("OpenLoop: " + e.getMessage());
            System.exit(1);
            return;
        }
        OpenLoopReport report = new OpenLoopReport(options, recorder, epoll ? "epoll" : "nio");
        if (!report.valid()) {
            System.err.println(report.invalidReason());
        }
        System.out.print(report.text());
        System.out.println(report.summaryLine());
        if (options.out() != null) {
            try {
                Files.writeString(options.out(), report.distribution(), US_ASCII);
            } catch (IOException e) {
                System.err.println("OpenLoop: could not write " + options.out() + ": " + e);
            }
        }
        System.exit(0);
    }

    /** Prints a problem with the server's answers to stderr, the first few times only. */
    static void warnOnce(String message) {
        int n = WARNINGS.incrementAndGet();
        if (n <= MAX_WARNINGS) {
            System.err.println("OpenLoop: " + message + (n == MAX_WARNINGS ? " (further warnings not shown)" : ""));
        }
    }

    /** Connects, runs the schedule (warm-up, then the measured window) and returns what it measured. */
    static LatencyRecorder run(OpenLoopOptions options, boolean epoll) throws InterruptedException, ConnectFailure {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("openloop", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        // Every write sends a duplicate of the unreleasable wrapper; the bytes are released once
        // the event loop has stopped.
        ByteBuf bytes = Unpooled.directBuffer().writeBytes(options.request().getBytes(US_ASCII));
        ByteBuf request = Unpooled.unreleasableBuffer(bytes);
        try {
            Bootstrap bootstrap = new Bootstrap()
                    .group(group)
                    .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT_MS)
                    .remoteAddress(options.host(), options.port());
            EventLoop loop = group.next();
            CountDownLatch allDone = new CountDownLatch(options.connections());
            List<ScheduledConnection> connections = connect(options, bootstrap, request, allDone);

            long t0 = System.nanoTime() + START_DELAY_NANOS;
            long windowStart = t0 + options.warmupNanos();
            LatencyRecorder recorder = new LatencyRecorder(t0, windowStart, windowStart + options.durationNanos());
            // The rate ramps up over the first half of the warm-up (see Schedule).
            Schedule schedule = new Schedule(t0, options.rate(), options.warmupNanos() / 2);
            System.err.printf("OpenLoop: %s connections up; %.0f req/s, warm-up %.1f s, then %.1f s measured%n",
                    options.connections(), options.rate(), options.warmupNanos() / 1e9, options.durationNanos() / 1e9);
            loop.execute(() -> {
                for (int i = 0; i < connections.size(); i++) {
                    connections.get(i).start(recorder, schedule, i, connections.size());
                }
            });
            // Every connection is done when its next request would be due after the window and its
            // last answer is in; requests still unanswered at the deadline count as errors.
            long deadline = recorder.windowEnd() + options.timeoutNanos();
            allDone.await(Math.max(0, deadline - System.nanoTime()), NANOSECONDS);
            loop.submit(() -> {
                recorder.stop();
                connections.forEach(ScheduledConnection::abandon);
            }).get();
            return recorder;
        } catch (ExecutionException e) {
            throw new IllegalStateException("ending the run failed", e.getCause());
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly(5_000);
            bytes.release();
        }
    }

    private static List<ScheduledConnection> connect(OpenLoopOptions options, Bootstrap bootstrap, ByteBuf request,
            CountDownLatch allDone) throws ConnectFailure {
        List<ScheduledConnection> connections = new ArrayList<>();
        List<ChannelFuture> futures = new ArrayList<>();
        for (int i = 0; i < options.connections(); i++) {
            ScheduledConnection connection = new ScheduledConnection(bootstrap, request, allDone::countDown);
            connections.add(connection);
            futures.add(connection.connect());
        }
        for (ChannelFuture future : futures) {
            if (!future.awaitUninterruptibly(CONNECT_TIMEOUT_MS + 1000, MILLISECONDS) || !future.isSuccess()) {
                throw new ConnectFailure("could not connect to " + options.host() + ":" + options.port()
                        + ": " + (future.cause() == null ? "timed out" : future.cause().getMessage())
                        + " (expected: an HTTP server listening there)");
            }
        }
        return connections;
    }

    /** No connection to the server at the start: nothing was measured. */
    static final class ConnectFailure extends Exception {
        ConnectFailure(String message) {
            super(message);
        }
    }
}
