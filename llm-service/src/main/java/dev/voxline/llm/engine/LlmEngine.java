package dev.voxline.llm.engine;

import reactor.core.publisher.Flux;

/**
 * A chat model that streams its reply as text deltas (tokens). Cancelling the subscription stops the generation
 * and closes whatever the engine holds open (an HTTP stream for a provider).
 */
public interface LlmEngine {

    String name();

    Flux<String> stream(ChatRequest request, LlmSettings settings);
}
