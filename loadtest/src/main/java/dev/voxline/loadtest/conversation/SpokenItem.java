package dev.voxline.loadtest.conversation;

import dev.voxline.contracts.audio.Pcm;
import dev.voxline.loadtest.audio.PauseSet;
import dev.voxline.loadtest.audio.SpeechAudio;

/**
 * One thing a caller says in a conversation benchmark: 16 kHz PCM16 and what was said. {@code source} tells a human
 * recording from synthetic speech, so every figure can be given for each.
 */
public record SpokenItem(String name, String reference, byte[] pcm, String source) {

    public static final String HUMAN = "human";
    public static final String SYNTHETIC = "synthetic";

    public long durationMs() {
        return Pcm.durationMs(pcm.length, SpeechAudio.SAMPLE_RATE);
    }

    /** Where the last speech ends, in ms from the start ({@link PauseSet#speechEndMs(byte[])}'s rule). */
    public long lastVoicedMs() {
        return PauseSet.speechEndMs(pcm);
    }
}
