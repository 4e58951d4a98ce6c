package dev.voxline.gateway.turn;

/**
 * The stop delay of an interruption ({@code metrics.interruption}, which the caller sees too): from the decision that
 * the agent must stop to its voice stopping. When the caller's speech paused the reply first
 * ({@code interrupt.pending}) and the interruption was confirmed later, the voice stopped at the pause and the
 * decision was the pause's. Not thread-safe: the session serialises calls.
 */
public final class InterruptionClock {

    /** When the playing reply was paused by the caller's speech, and when that speech was detected (epoch µs). */
    private long pausedAtUs;
    private long pausedDetectedUs;

    /** The caller's speech detected at {@code detectedUs} paused the agent at {@code pausedAtUs}. */
    public void paused(long detectedUs, long pausedAtUs) {
        this.pausedAtUs = pausedAtUs;
        this.pausedDetectedUs = detectedUs;
    }

    /** The paused reply plays on: a later interruption stops the voice when it comes. */
    public void resumed() {
        pausedAtUs = 0;
    }

    /** What an interruption decided at {@code reportedUs} is measured from: the pause's detection if there was one. */
    public long detectedUs(long reportedUs) {
        return pausedAtUs > 0 && pausedDetectedUs > 0 ? pausedDetectedUs : reportedUs;
    }

    /** Milliseconds from {@code detectedUs} to the voice stopping (the pause, else {@code nowUs}); -1 if unknown. */
    public double stopDelayMs(long detectedUs, long nowUs) {
        long stoppedUs = pausedAtUs > 0 ? pausedAtUs : nowUs;
        return detectedUs > 0 ? Math.max(0, stoppedUs - detectedUs) / 1000.0 : -1;
    }

    /** The paused reply was cleared for good: the next interruption starts afresh. */
    public void cleared() {
        pausedAtUs = 0;
        pausedDetectedUs = 0;
    }
}
