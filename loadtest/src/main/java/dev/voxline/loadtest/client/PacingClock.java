package dev.voxline.loadtest.client;

import java.time.Duration;

/**
 * Real-time pacing without drift: frame {@code k} is due at {@code start + k · period}, computed from the start
 * every time rather than by adding a period to the previous send, so a late wake-up (GC, a busy core) delays that
 * one frame and the next one catches up instead of pushing every later frame back.
 */
public final class PacingClock {

    private final NanoClock clock;
    private final double periodNanos;
    private long startNanos;
    private boolean started;

    /** {@code speed} &gt; 1 plays faster than real time (period ÷ speed). */
    public PacingClock(NanoClock clock, Duration period, double speed) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive");
        }
        if (!(speed > 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed must be a positive number, was " + speed);
        }
        this.clock = clock;
        this.periodNanos = period.toNanos() / speed;
    }

    /** Frame 0 is due now. */
    public PacingClock start() {
        startNanos = clock.nanoTime();
        started = true;
        return this;
    }

    public long startNanos() {
        requireStarted();
        return startNanos;
    }

    /** When frame {@code k} is due, on the clock's time line. */
    public long deadlineNanos(long k) {
        requireStarted();
        return startNanos + Math.round(k * periodNanos);
    }

    /** How long to wait from now until frame {@code k} is due; 0 when it is already due or late. */
    public long delayNanos(long k) {
        return Math.max(0, deadlineNanos(k) - clock.nanoTime());
    }

    private void requireStarted() {
        if (!started) {
            throw new IllegalStateException("the pacing clock has not been started");
        }
    }
}
