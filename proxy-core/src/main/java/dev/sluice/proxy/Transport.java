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
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;

/** The socket transport: native epoll when it loads, NIO otherwise. */
public enum Transport {
    EPOLL, NIO;

    /** Epoll when {@code Epoll.isAvailable()} and not turned off with {@code -Dsluice.transport=nio}. */
    public static Transport best() {
        if ("nio".equalsIgnoreCase(System.getProperty("sluice.transport"))) {
            return NIO;
        }
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    /** {@code threads} event loops named {@code name}, each thread started ({@link #started}). */
    public EventLoopGroup newGroup(int threads, String name) {
        IoHandlerFactory factory = this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
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
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public Class<? extends SocketChannel> socketChannel() {
        return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    public Class<? extends DatagramChannel> datagramChannel() {
        return this == EPOLL ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }
}
