package dev.voxline.llm.engine;

import dev.voxline.kafka.engine.NamedEngine;
import java.util.Set;
import reactor.core.publisher.Flux;

/**
 * A chat model that streams its reply as text deltas (tokens), with the token usage when the model reports it.
 * Cancelling the subscription stops the generation and closes whatever the engine holds open (an HTTP stream for a
 * provider). A failure of the request (refused, broken off) is an error signal: that turn fails, the session goes on.
 */
public interface LlmEngine extends NamedEngine {

    /** Every chat model here streams its reply token by token. */
    @Override
    default Set<String> capabilities() {
        return Set.of(STREAMING);
    }

    /** Who serves the model (for metrics), null when the engine is its own model. */
    default String provider() {
        return null;
    }

    /** The model's name (for metrics), null when the engine has no separate model. */
    default String model() {
        return null;
    }

    Flux<LlmChunk> stream(ChatRequest request, LlmSettings settings);

    /** The reply's text deltas alone. */
    default Flux<String> streamText(ChatRequest request, LlmSettings settings) {
        return stream(request, settings).filter(LlmChunk::hasText).map(LlmChunk::text);
    }
}
