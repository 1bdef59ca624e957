package dev.sluice.proxy;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * The socket transport: native epoll when it loads, NIO otherwise; io_uring when asked for
 * ({@code TRANSPORT=io_uring}) and the kernel allows it.
 */
public enum Transport {
    EPOLL, IO_URING, NIO;

    /**
     * The system property {@link #best()} reads: {@code epoll}, {@code io_uring} or {@code nio}
     * (the command line sets it from {@code TRANSPORT}).
     */
    public static final String PROPERTY = "sluice.transport";

    /**
     * What to do when a native library does not load: Netty unpacks each into the temporary
     * directory first.
     */
    public static final String NATIVE_WORKDIR_HINT = "Netty unpacks its native libraries into java.io.tmpdir:"
            + " where that cannot be written (a read-only root filesystem), mount a tmpfs on /tmp"
            + " or set -Dio.netty.native.workdir=DIR";

    private static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");

    /** Whether this JVM runs on Linux, where Sluice's native libraries (epoll, OpenSSL) are expected to load. */
    public static boolean onLinux() {
        return LINUX;
    }

    /** The transport {@link #PROPERTY} asks for, or epoll where it loads; no warnings. */
    public static Transport best() {
        return choose(System.getProperty(PROPERTY), warning -> { });
    }

    /**
     * The transport {@code requested} names ({@code epoll}, {@code io_uring} or {@code nio}, any
     * case; {@code null} or empty: epoll). One that cannot load here (the kernel or a container's
     * seccomp profile may refuse io_uring) falls back to epoll, then NIO, and {@code warnings}
     * is told why.
     *
     * @throws IllegalArgumentException when {@code requested} names no transport
     */
    public static Transport choose(String requested, Consumer<String> warnings) {
        Transport wanted = parse(requested);
        if (wanted == IO_URING) {
            if (IoUring.isAvailable()) {
                return IO_URING;
            }
            Transport instead = IO_URING.withoutIoUring();
            warnings.accept("TRANSPORT=io_uring: io_uring is not available here ("
                    + IoUring.unavailabilityCause() + "); using " + instead.label());
            return instead;
        }
        if (wanted == EPOLL && !Epoll.isAvailable()) {
            if (requested != null && !requested.isBlank()) {
                warnings.accept("TRANSPORT=epoll: native epoll is not available here ("
                        + Epoll.unavailabilityCause() + "); using nio");
            } else if (LINUX) {
                // on Linux epoll is expected: most often Netty could not unpack its library
                warnings.accept("native epoll is not available here (" + rootCause(Epoll.unavailabilityCause())
                        + "); using nio, which takes more CPU per request. " + NATIVE_WORKDIR_HINT);
            }
            return NIO;
        }
        return wanted;
    }

    /** The innermost cause of {@code t}, as its class and message ("none given" for {@code null}). */
    public static String rootCause(Throwable t) {
        if (t == null) {
            return "none given";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.toString();
    }

    /**
     * {@code epoll}, {@code io_uring} or {@code nio} (any case; {@code null} or empty: epoll).
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Transport parse(String value) {
        if (value == null || value.isBlank()) {
            return EPOLL;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "epoll" -> EPOLL;
            case "io_uring" -> IO_URING;
            case "nio" -> NIO;
            default -> throw new IllegalArgumentException(
                    "TRANSPORT: '" + value.trim() + "' (expected epoll, io_uring or nio)");
        };
    }

    /** The name {@link #parse} reads back: {@code epoll}, {@code io_uring} or {@code nio}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** This transport, or epoll (NIO where it does not load) in place of io_uring. */
    public Transport withoutIoUring() {
        return this != IO_URING ? this : Epoll.isAvailable() ? EPOLL : NIO;
    }

    /** {@code threads} event loops named {@code name}, each thread started ({@link #started}). */
    public EventLoopGroup newGroup(int threads, String name) {
        IoHandlerFactory factory = switch (this) {
            case EPOLL -> EpollIoHandler.newFactory();
            case IO_URING -> IoUringIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
        return started(new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), factory));
    }

    /**
     * Starts every loop of {@code group} now, on the calling thread. Netty starts a loop's thread
     * when the loop first gets work, and a thread inherits the kernel's nice value of the thread
     * that started it: a loop first used by the admin writer (a new bind, the first health check)
     * would run at the control plane's nice value for good, since an unprivileged process cannot
     * lower it again (README, "Performance": the opt-in priority flags).
     */
    public static <G extends EventLoopGroup> G started(G group) {
        for (EventExecutor loop : group) {
            loop.submit(() -> { }).syncUninterruptibly();
        }
        return group;
    }

    public Class<? extends ServerChannel> serverChannel() {
        return switch (this) {
            case EPOLL -> EpollServerSocketChannel.class;
            case IO_URING -> IoUringServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    public Class<? extends SocketChannel> socketChannel() {
        return switch (this) {
            case EPOLL -> EpollSocketChannel.class;
            case IO_URING -> IoUringSocketChannel.class;
            case NIO -> NioSocketChannel.class;
        };
    }

    public Class<? extends DatagramChannel> datagramChannel() {
        return switch (this) {
            case EPOLL -> EpollDatagramChannel.class;
            case IO_URING -> IoUringDatagramChannel.class;
            case NIO -> NioDatagramChannel.class;
        };
    }
}
