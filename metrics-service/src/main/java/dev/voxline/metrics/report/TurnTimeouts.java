package dev.voxline.metrics.report;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Looks for overdue turns every {@code interval}. The tick runs on the parallel scheduler; the reporting (which
 * may wait for a Kafka producer's metadata) on bounded-elastic, one check at a time, ticks during a slow one
 * dropped.
 */
public final class TurnTimeouts implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TurnTimeouts.class);

    private final TurnReporter reporter;
    private final Duration interval;
    private volatile Disposable ticks;

    public TurnTimeouts(TurnReporter reporter, Duration interval) {
        this.reporter = reporter;
        this.interval = interval;
    }

    @Override
    public void start() {
        ticks = Flux.interval(interval, interval, Schedulers.parallel())
                .onBackpressureDrop()
                .publishOn(Schedulers.boundedElastic(), 1)
                .subscribe(tick -> check());
    }

    private void check() {
        try {
            reporter.expireOverdue();
        } catch (RuntimeException e) { // keep checking: one bad turn must not stop the timeouts of all others
            log.warn("turn timeout check failed: {}", e.toString(), e);
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
