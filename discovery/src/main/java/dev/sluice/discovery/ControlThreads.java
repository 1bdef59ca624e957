package dev.sluice.discovery;

import java.util.concurrent.ThreadFactory;

/**
 * Threads of the control plane: discovery, the admin API and the registry's writer. They are
 * daemons at {@link Thread#MIN_PRIORITY}, so that with the start script's
 * {@code -XX:ThreadPriorityPolicy=1 -XX:JavaPriority1_To_OSPriority=10} they run at nice 10 and
 * a change never takes the core from a proxy event loop that has requests to serve. Without those
 * flags the priority is recorded and has no effect.
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
