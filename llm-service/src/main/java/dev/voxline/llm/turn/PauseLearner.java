package dev.voxline.llm.turn;

/**
 * Learns one caller's pauses inside their turns (adaptive endpointing): an exponentially weighted moving average of
 * the silences after which they went on speaking — the pauses of a turn that was not over, and the gap before speech
 * that followed an answer too early. A caller who pauses long gets a longer wait, a brisk one keeps the minimum.
 * Not thread-safe (one per session, under the session's lock).
 */
public final class PauseLearner {

    /** Weight of the newest pause: a few pauses are enough to follow a caller. */
    static final double ALPHA = 0.4;

    private double averageMs = -1;
    private int observed;

    /** A silence of {@code pauseMs} after which the caller went on. */
    public void observe(long pauseMs) {
        if (pauseMs <= 0) {
            return;
        }
        averageMs = averageMs < 0 ? pauseMs : ALPHA * pauseMs + (1 - ALPHA) * averageMs;
        observed++;
    }

    /** The average pause, or -1 before the first one. */
    public double averageMs() {
        return averageMs;
    }

    public int observed() {
        return observed;
    }
}
