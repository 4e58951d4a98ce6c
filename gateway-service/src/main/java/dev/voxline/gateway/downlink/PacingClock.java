package dev.voxline.gateway.downlink;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * One pacing clock for every session of a gateway: every {@link PacingTicker#TICK} it ticks each session that has
 * time-dependent reply work, one after the other on one timer, and it stops when none has. A timer per session woke
 * a scheduler thread 100 times a second per speaking caller, out of step with every other caller's; one shared tick
 * wakes it 100 times a second in all (at 25 callers the per-session timers were ~0.07 of the services' cores).
 */
public final class PacingClock {

    private static final Logger log = LoggerFactory.getLogger(PacingClock.class);

    private final Scheduler scheduler;
    private final Set<Runnable> ticking = ConcurrentHashMap.newKeySet();
    private Disposable timer;

    public PacingClock(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** {@code tick} runs on every tick from now on, until {@link #remove}; adding it twice changes nothing. */
    void add(Runnable tick) {
        ticking.add(tick);
        synchronized (this) {
            if (timer == null) {
                long periodMs = PacingTicker.TICK.toMillis();
                timer = scheduler.schedulePeriodically(this::tickAll, periodMs, periodMs, TimeUnit.MILLISECONDS);
            }
        }
    }

    void remove(Runnable tick) {
        ticking.remove(tick);
    }

    /** How many sessions tick now. */
    public int ticking() {
        return ticking.size();
    }

    private void tickAll() {
        for (Runnable tick : ticking) {
            try {
                tick.run();
            } catch (RuntimeException e) {
                log.error("a session's pacing tick failed", e);
            }
        }
        if (ticking.isEmpty()) {
            synchronized (this) {
                // an add() puts its tick in the set before it takes this lock: still empty here means none waits
                if (ticking.isEmpty() && timer != null) {
                    timer.dispose();
                    timer = null;
                }
            }
        }
    }
}
