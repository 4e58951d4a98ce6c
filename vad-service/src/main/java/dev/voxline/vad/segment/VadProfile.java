package dev.voxline.vad.segment;

import dev.voxline.contracts.audio.Pcm;

/**
 * An endpointing profile (docs/conversation.md): how long speech must last to count, how long a silence ends it, and the
 * speech-probability threshold.
 */
public record VadProfile(String name, int minSpeechMs, int minSilenceMs, double threshold) {

    public static final VadProfile LOW_LATENCY = new VadProfile("low-latency", 100, 300, 0.5);
    public static final VadProfile HIGH_ACCURACY = new VadProfile("high-accuracy", 200, 500, 0.6);

    /** The named profile, or {@code fallback} for null or an unknown name. */
    public static VadProfile named(String name, VadProfile fallback) {
        if (LOW_LATENCY.name.equals(name)) {
            return LOW_LATENCY;
        }
        if (HIGH_ACCURACY.name.equals(name)) {
            return HIGH_ACCURACY;
        }
        return fallback;
    }

    public int minSpeechFrames() {
        return Math.max(1, (minSpeechMs + Pcm.FRAME_MS - 1) / Pcm.FRAME_MS);
    }

    public int minSilenceFrames() {
        return Math.max(1, (minSilenceMs + Pcm.FRAME_MS - 1) / Pcm.FRAME_MS);
    }
}
