package dev.voxline.gateway.downlink;

import java.time.Duration;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * Runs a session's pacing clock every {@link #TICK} while its reply audio has time-dependent work, so an idle session
 * costs no timer. Not thread-safe: the session starts and stops it under its lock; {@code tick} takes that lock.
 */
public final class PacingTicker {

    public static final Duration TICK = Duration.ofMillis(10);

    private final Scheduler scheduler;
    private final Runnable tick;
    private Disposable ticking;

    public PacingTicker(Scheduler scheduler, Runnable tick) {
        this.scheduler = scheduler;
        this.tick = tick;
    }

    /** Ticks from now on, unless it already does. */
    public void start() {
        if (ticking == null) {
            ticking = Flux.interval(TICK, scheduler).subscribe(n -> tick.run());
        }
    }

    public void stop() {
        if (ticking != null) {
            ticking.dispose();
            ticking = null;
        }
    }
}
