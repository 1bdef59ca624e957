package dev.sluice.discovery;

import java.util.concurrent.ThreadFactory;

/**
 * Threads of the control plane: discovery and the registry's writer (the admin API's Vert.x
 * threads are made by its own factory, at the same priority, and never idle). They are daemons at
 * {@link Thread#MIN_PRIORITY}. Once {@link #scheduleIdle} was called (the {@code run}
 * command does so with {@code CONTROL_PRIORITY=idle}), each of them, started afterwards, first
 * puts itself in the kernel's {@code SCHED_IDLE} class ({@link IdleScheduling}): a change then
 * waits for a proxy event loop that has requests to serve instead of delaying it. Threads they
 * start inherit that class; event loops are started by whoever starts the proxy
 * ({@code Transport.started}), never by a control-plane thread.
 */
public final class ControlThreads {

    private static volatile IdleScheduling idle;

    private ControlThreads() {
    }

    /**
     * From now on, control-plane threads that start put themselves in {@code SCHED_IDLE} through
     * {@code scheduling}; {@code null}: they keep the normal class. A setting of the process.
     */
    public static void scheduleIdle(IdleScheduling scheduling) {
        idle = scheduling;
    }

    /** A factory of control-plane threads, each named {@code name}: daemons at the lowest priority. */
    public static ThreadFactory named(String name) {
        return r -> {
            Thread thread = new Thread(idleFirst(r), name);
            thread.setDaemon(true);
            thread.setPriority(Thread.MIN_PRIORITY);
            return thread;
        };
    }

    /**
     * {@code task} as the body of a control-plane thread: it first moves the thread to
     * {@code SCHED_IDLE} when {@link #scheduleIdle} asked for it.
     */
    private static Runnable idleFirst(Runnable task) {
        return () -> {
            IdleScheduling scheduling = idle;
            if (scheduling != null) {
                scheduling.enterCurrent();
            }
            task.run();
        };
    }
}
