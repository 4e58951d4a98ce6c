package dev.voxline.stt.engine;

/** A transcript of the utterance so far ({@code isFinal=false}) or of all of it. */
public record SttResult(String text, boolean isFinal) {

    public static SttResult interim(String text) {
        return new SttResult(text, false);
    }

    public static SttResult finalResult(String text) {
        return new SttResult(text, true);
    }
}
