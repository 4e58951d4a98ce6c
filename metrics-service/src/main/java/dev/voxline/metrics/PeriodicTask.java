package dev.voxline.metrics;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Runs a task every {@code interval} while the context runs (the turn timeouts, the alert evaluation). The tick runs
 * on the parallel scheduler, the task (which may wait for a Kafka producer's metadata) on bounded-elastic, one run at
 * a time, ticks during a slow run dropped. A run that throws is logged and the next one runs all the same.
 */
public final class PeriodicTask implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PeriodicTask.class);

    private final String name;
    private final Duration interval;
    private final Runnable task;
    private volatile Disposable ticks;

    /** {@code name}: what the task does, for the log ("turn timeout check", "alert evaluation"). */
    public PeriodicTask(String name, Duration interval, Runnable task) {
        this.name = name;
        this.interval = interval;
        this.task = task;
    }

    @Override
    public void start() {
        ticks = Flux.interval(interval, interval, Schedulers.parallel())
                .onBackpressureDrop()
                .publishOn(Schedulers.boundedElastic(), 1)
                .subscribe(tick -> run());
    }

    private void run() {
        try {
            task.run();
        } catch (RuntimeException e) { // keep going: one bad run must not stop all the later ones
            log.warn("{} failed: {}", name, e.toString(), e);
        }
    }

    @Override
    public void stop() {
        Disposable running = ticks;
        if (running != null) {
            running.dispose();
            ticks = null;
        }
    }

    @Override
    public boolean isRunning() {
        return ticks != null && !ticks.isDisposed();
    }
}
