package dev.voxline.stt.engine;

import dev.voxline.kafka.engine.NamedEngine;
import reactor.core.publisher.Flux;

/**
 * A streaming recogniser. One subscription per utterance: audio chunks arrive as the caller speaks; completion
 * of {@code utteranceAudio} means the pause came and the engine should finalise. The result stream holds any
 * number of interim results and ends with at most one final result; cancelling it frees the recogniser.
 */
public interface SttEngine extends NamedEngine {

    Flux<SttResult> transcribe(Flux<byte[]> utteranceAudio, SttSettings settings);
}
