package dev.sluice.admin;

import dev.sluice.discovery.ControlThreads;
import io.vertx.core.impl.VertxThread;
import io.vertx.core.spi.VertxThreadFactory;

import java.util.concurrent.TimeUnit;

/**
 * The admin API's Vert.x threads (its event loop and workers) at the lowest priority, like the
 * registry's writer ({@link ControlThreads}), but never in {@code SCHED_IDLE}: on a saturated core
 * an idle admin API answered the image's health check ({@code ping}) in 1.5 s median and 17.7 s at
 * most, where the writer alone idle leaves it at 5 and 75 ms ({@code saturated-changes.sh}). A
 * change still waits for the idle writer; its answer then comes from here. Vert.x finds it through
 * {@code META-INF/services/io.vertx.core.spi.VertxServiceProvider}.
 */
public final class AdminThreads implements VertxThreadFactory {

    @Override
    public VertxThread newVertxThread(Runnable target, String name, boolean worker, long maxExecTime,
                                      TimeUnit maxExecTimeUnit) {
        VertxThread thread = VertxThreadFactory.super.newVertxThread(target, name, worker, maxExecTime,
                maxExecTimeUnit);
        thread.setPriority(Thread.MIN_PRIORITY);
        return thread;
    }
}
