package dev.voxline.loadtest.conversation;

import dev.voxline.contracts.audio.Pcm;
import dev.voxline.loadtest.audio.SpeechAudio;

/**
 * One thing a caller says in a conversation benchmark: 16 kHz PCM16 and what was said. {@code source} tells a human
 * recording from synthetic speech, so every figure can be given for each.
 */
public record SpokenItem(String name, String reference, byte[] pcm, String source) {

    public static final String HUMAN = "human";
    public static final String SYNTHETIC = "synthetic";

    /** Frames quieter than the loudest one by more than this are not speech (room noise, a radio's hiss). */
    static final double SPEECH_RANGE_DB = 35;

    public long durationMs() {
        return Pcm.durationMs(pcm.length, SpeechAudio.SAMPLE_RATE);
    }

    /** Where the last speech ends, in ms from the start: the end of the last 20 ms frame within the speech range. */
    public long lastVoicedMs() {
        int frameBytes = Pcm.frameBytes(SpeechAudio.SAMPLE_RATE, Pcm.FRAME_MS);
        int frames = pcm.length / frameBytes;
        double[] levels = new double[frames];
        double loudest = -200;
        for (int i = 0; i < frames; i++) {
            byte[] frame = new byte[frameBytes];
            System.arraycopy(pcm, i * frameBytes, frame, 0, frameBytes);
            levels[i] = Pcm.rmsDbfs(frame);
            loudest = Math.max(loudest, levels[i]);
        }
        for (int i = frames - 1; i >= 0; i--) {
            if (levels[i] >= loudest - SPEECH_RANGE_DB) {
                return (long) (i + 1) * Pcm.FRAME_MS;
            }
        }
        return 0;
    }
}
