package dev.voxline.tts.engine;

import dev.voxline.kafka.engine.NamedEngine;
import reactor.core.publisher.Flux;

/**
 * A streaming synthesiser: the audio of {@code text} as PCM16LE mono chunks at {@code settings.sampleRate()},
 * the first as early as the engine can. Cancelling the subscription stops the synthesis and frees the engine.
 */
public interface TtsEngine extends NamedEngine {

    Flux<byte[]> synthesize(String text, TtsSettings settings);
}
