package dev.voxline.vad.engine;

/** A frame and the detector's speech probability for it, 0..1. */
public record VadScore(AudioFrame frame, double probability) {
}
