package dev.voxline.gateway.downlink;

import java.time.Duration;

/**
 * A session's place on the gateway's {@link PacingClock}: ticked every {@link #TICK} while its reply audio has
 * time-dependent work, so an idle session costs nothing. Not thread-safe: the session starts and stops it under its
 * lock; {@code tick} takes that lock.
 */
public final class PacingTicker {

    public static final Duration TICK = Duration.ofMillis(10);

    private final PacingClock clock;
    private final Runnable tick;
    private boolean ticking;

    public PacingTicker(PacingClock clock, Runnable tick) {
        this.clock = clock;
        this.tick = tick;
    }

    /** Ticks from now on, unless it already does. */
    public void start() {
        if (!ticking) {
            ticking = true;
            clock.add(tick);
        }
    }

    public void stop() {
        if (ticking) {
            ticking = false;
            clock.remove(tick);
        }
    }
}
