package dev.voxline.vad.engine;

/**
 * A frame and the detector's speech probability for it, 0..1.
 *
 * @param inferenceNanos the detector's own compute time attributed to this frame (a windowed detector puts a
 *                       window's time on one of its frames and 0 on the others), or -1 when the detector does not
 *                       measure it and the stage times the frame from hand-over to score
 */
public record VadScore(AudioFrame frame, double probability, long inferenceNanos) {

    public VadScore(AudioFrame frame, double probability) {
        this(frame, probability, -1);
    }
}
