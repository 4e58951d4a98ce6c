package dev.voxline.llm.turn;

/**
 * Turns an end-of-turn probability and the caller's learned pauses into how long the silence after their speech must
 * last before their turn is decided, clamped to [{@code minMs}, {@code maxMs}] (by default the VAD profile's silence
 * window and 3 s). A complete thought waits the minimum; an obviously unfinished one waits the maximum; an undecided
 * one waits {@code undecidedMs}, or longer for a caller whose pauses are longer ({@code margin} × their average).
 *
 * <p>Learned pauses only ever lengthen the undecided wait. A caller's average pause says little about their longest
 * one: human pauses inside a sentence run to 600 ms (the counting recording of the pause set: 320 ms, then 590 ms),
 * and the wait must also cover the ~100 ms the VAD takes to confirm that speech started again. A wait shortened to
 * 1.25 × a learned 320 ms answered in the 590 ms pause.
 *
 * @param undecidedMs the least wait for an undecided transcript (covers 600 ms pauses and the VAD's 100 ms)
 * @param margin      how far past the caller's average pause an undecided turn waits (× average)
 */
public record EndpointingPolicy(long undecidedMs, double margin) {

    public static final EndpointingPolicy DEFAULT = new EndpointingPolicy(800, 1.25);
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
            wanted = Math.max(undecidedMs, Math.round(pauses.averageMs() * margin));
        } else {
            wanted = undecidedMs;
        }
        return Math.max(minMs, Math.min(max, wanted));
    }
}
