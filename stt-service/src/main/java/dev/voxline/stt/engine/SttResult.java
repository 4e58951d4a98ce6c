package dev.voxline.stt.engine;

/**
 * A transcript of the utterance so far ({@code isFinal=false}) or of all of it.
 *
 * @param processingMs on a final result: the engine's own processing time for the whole utterance (decoding, not
 *                     waiting for audio), so the stage can report a real-time factor; -1 when the engine does not
 *                     measure it (the simulated engine)
 */
public record SttResult(String text, boolean isFinal, double processingMs) {

    public SttResult(String text, boolean isFinal) {
        this(text, isFinal, -1);
    }

    public static SttResult interim(String text) {
        return new SttResult(text, false);
    }

    public static SttResult finalResult(String text) {
        return new SttResult(text, true);
    }

    public static SttResult finalResult(String text, double processingMs) {
        return new SttResult(text, true, processingMs);
    }
}
