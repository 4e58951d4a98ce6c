package dev.voxline.llm.turn;

/**
 * Turns an end-of-turn probability and the caller's learned pauses into how long the silence after their speech must
 * last before their turn is decided, clamped to [{@code minMs}, {@code maxMs}] (DESIGN.md §4: the minimum is the VAD
 * profile's silence window by default, the maximum 3 s). A complete thought waits the minimum; an obviously
 * unfinished one waits the maximum; an undecided one waits a little longer than this caller's usual pause (or
 * {@code undecidedMs} before any was seen).
 *
 * @param undecidedMs the wait for an undecided transcript before the caller's pauses are known
 * @param margin      how far past the caller's average pause an undecided turn waits (× average)
 */
public record EndpointingPolicy(long undecidedMs, double margin) {

    public static final EndpointingPolicy DEFAULT = new EndpointingPolicy(700, 1.25);
    static final double COMPLETE_AT = 0.8;
    static final double UNFINISHED_BELOW = 0.2;

    public long delayMs(double endOfTurnProbability, PauseLearner pauses, long minMs, long maxMs) {
        long max = Math.max(minMs, maxMs);
        long wanted;
        if (endOfTurnProbability >= COMPLETE_AT) {
            wanted = minMs;
        } else if (endOfTurnProbability < UNFINISHED_BELOW) {
            wanted = max;
        } else if (pauses != null && pauses.averageMs() > 0) {
            wanted = Math.round(pauses.averageMs() * margin);
        } else {
            wanted = undecidedMs;
        }
        return Math.max(minMs, Math.min(max, wanted));
    }
}
