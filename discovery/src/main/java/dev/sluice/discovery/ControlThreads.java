package dev.sluice.discovery;

import java.util.concurrent.ThreadFactory;

/**
 * Threads of the control plane: discovery, the admin API and the registry's writer. They are
 * daemons at {@link Thread#MIN_PRIORITY}, which has no effect unless the JVM is started with the
 * README's opt-in flags ({@code -XX:ThreadPriorityPolicy=1 -XX:JavaPriority1_To_OSPriority=5
 * -XX:CompilerThreadPriority=5}, all three or none: "Performance"); then they run at nice 5, and a
 * change waits for a proxy event loop that has requests to serve instead of delaying it. Threads
 * they start inherit that nice value: event loops are started by whoever starts the proxy
 * ({@code Transport.started}).
 */
public final class ControlThreads {

    private ControlThreads() {
    }

    /** A factory of control-plane threads, each named {@code name}. */
    public static ThreadFactory named(String name) {
        return r -> lowered(new Thread(r, name));
    }

    /** Makes {@code thread}, not yet started, a control-plane thread: a daemon at the lowest priority. */
    public static Thread lowered(Thread thread) {
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        return thread;
    }
}
