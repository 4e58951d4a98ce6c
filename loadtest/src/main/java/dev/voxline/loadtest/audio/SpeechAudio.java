package dev.voxline.loadtest.audio;

import dev.voxline.contracts.audio.AudioFormat;
import dev.voxline.contracts.audio.Pcm;

/**
 * Audio ready for {@code /v1/talk}: PCM16LE mono at 16 kHz, plus a description of what the file held before it was
 * converted (for the talk command's first line).
 */
public record SpeechAudio(byte[] pcm, String source) {

    public static final int SAMPLE_RATE = AudioFormat.PIPELINE_RATE;

    public long durationMs() {
        return Pcm.durationMs(pcm.length, SAMPLE_RATE);
    }

    public int samples() {
        return pcm.length / 2;
    }
}
