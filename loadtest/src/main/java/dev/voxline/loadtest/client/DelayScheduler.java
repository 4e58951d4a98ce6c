package dev.voxline.loadtest.client;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs a task after a delay; a {@link ScheduledExecutorService} in production, a fake clock in tests. */
@FunctionalInterface
public interface DelayScheduler {

    void schedule(Runnable task, long delayNanos);

    static DelayScheduler of(ScheduledExecutorService executor) {
        return (task, delayNanos) -> executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }
}
