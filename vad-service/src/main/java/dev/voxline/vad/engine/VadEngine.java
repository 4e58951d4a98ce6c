package dev.voxline.vad.engine;

import dev.voxline.kafka.engine.NamedEngine;
import reactor.core.publisher.Flux;

/**
 * A speech detector. One {@link #score} subscription per session carries the detector's state (a recurrent
 * model's hidden state, a window that spans frames), so an engine with fixed windows — Silero's 512 samples —
 * can buffer across frames. Contract: exactly one score per input frame, in input order. Cancelling the
 * subscription frees the session's detector.
 */
public interface VadEngine extends NamedEngine {

    Flux<VadScore> score(Flux<AudioFrame> frames, VadSettings settings);
}
