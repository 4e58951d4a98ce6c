package dev.voxline.metrics.alert;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Evaluates the alert rules every {@code interval}, new turns or not. The tick runs on the parallel scheduler, the
 * evaluation (which may wait for a Kafka producer's metadata) on bounded-elastic, one at a time, ticks during a slow
 * one dropped.
 */
final class AlertTicks implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AlertTicks.class);

    private final AlertMonitor monitor;
    private final Duration interval;
    private volatile Disposable ticks;

    AlertTicks(AlertMonitor monitor, Duration interval) {
        this.monitor = monitor;
        this.interval = interval;
    }

    @Override
    public void start() {
        ticks = Flux.interval(interval, interval, Schedulers.parallel())
                .onBackpressureDrop()
                .publishOn(Schedulers.boundedElastic(), 1)
                .subscribe(tick -> evaluate());
    }

    private void evaluate() {
        try {
            monitor.tick();
        } catch (RuntimeException e) { // keep evaluating: one bad evaluation must not stop the alerts
            log.warn("alert evaluation failed: {}", e.toString(), e);
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
