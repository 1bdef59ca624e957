package dev.sluice.admin;

import dev.sluice.discovery.ControlThreads;
import io.vertx.core.impl.VertxThread;
import io.vertx.core.spi.VertxThreadFactory;

import java.util.concurrent.TimeUnit;

/**
 * The admin API's Vert.x threads (its event loop and workers) as control-plane threads, at the
 * lowest priority and in {@code SCHED_IDLE} when asked, like the registry's writer
 * ({@link ControlThreads}). Vert.x finds it through
 * {@code META-INF/services/io.vertx.core.spi.VertxServiceProvider}.
 */
public final class AdminThreads implements VertxThreadFactory {

    @Override
    public VertxThread newVertxThread(Runnable target, String name, boolean worker, long maxExecTime,
                                      TimeUnit maxExecTimeUnit) {
        VertxThread thread = VertxThreadFactory.super.newVertxThread(ControlThreads.idleFirst(target), name,
                worker, maxExecTime, maxExecTimeUnit);
        thread.setPriority(Thread.MIN_PRIORITY);
        return thread;
    }
}
