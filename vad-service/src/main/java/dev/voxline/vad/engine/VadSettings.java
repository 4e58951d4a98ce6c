package dev.voxline.vad.engine;

/** What a detector needs to know about a session's audio. */
public record VadSettings(int sampleRate) {
}
