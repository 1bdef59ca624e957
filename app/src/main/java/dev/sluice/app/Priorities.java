package dev.sluice.app;

import dev.sluice.discovery.ControlThreads;
import dev.sluice.discovery.IdleScheduling;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Which of Sluice's threads give way to the proxy's event loops: they run in Linux's
 * {@code SCHED_IDLE} class, only when their core has nothing else to run ({@link IdleScheduling};
 * "Performance" in the README).
 *
 * @param controlIdle      {@code CONTROL_PRIORITY}: {@code idle} (the default): the admin API, the
 *                         registry's writer and discovery; {@code normal}: they compete with the event loops
 * @param jitIdleAfterSecs {@code JIT_IDLE_AFTER}: seconds after the start when the JVM's JIT compiler
 *                         threads follow; -1 (unset, the default): never. At once (0), a proxy that takes
 *                         full load from its first second would compile its hot code only as its core allows
 */
record Priorities(boolean controlIdle, int jitIdleAfterSecs) {

    /** The longest {@code JIT_IDLE_AFTER}: a day. */
    static final int MAX_JIT_IDLE_AFTER = 86_400;

    static Priorities from(Environment env) {
        return new Priorities("idle".equals(env.oneOf("CONTROL_PRIORITY", "idle", List.of("idle", "normal"))),
                env.integer("JIT_IDLE_AFTER", -1, 0, MAX_JIT_IDLE_AFTER, "seconds"));
    }

    /**
     * Applies them to this process: control-plane threads started from now on, and, when
     * {@code JIT_IDLE_AFTER} is set, the JIT compiler threads that run then (those the JVM adds
     * later are started by them and inherit it). Failures are one warning on {@code err}; the
     * threads then keep the normal class.
     */
    void apply(PrintStream err) {
        IdleScheduling scheduling = new IdleScheduling(err);
        ControlThreads.scheduleIdle(controlIdle ? scheduling : null);
        if (jitIdleAfterSecs >= 0) {
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                    ControlThreads.named("sluice-jit-idle"));
            timer.schedule(() -> {
                scheduling.enter(name -> name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre"));
                timer.shutdown();
            }, jitIdleAfterSecs, TimeUnit.SECONDS);
        }
    }
}
