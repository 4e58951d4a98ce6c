package dev.voxline.kafka.engine;

import java.util.Set;

/**
 * What every stage's engine has in common: a name a session chooses it by ({@code SessionConfig.engines}), the
 * capabilities it declares, and a warm-up that loads now what its first use would otherwise load (a model, a voice,
 * a client's one-time set-up). An engine that holds resources also implements {@link AutoCloseable}; its
 * {@link EngineRegistry} closes it at shutdown.
 */
public interface NamedEngine {

    /** Results arrive while the input is still streaming in (tokens, audio chunks, per-frame scores). */
    String STREAMING = "streaming";
    /** A recogniser that revises its text before the final one ({@code transcript.interim}). */
    String INTERIM_RESULTS = "interim_results";

    String name();

    default Set<String> capabilities() {
        return Set.of();
    }

    /**
     * Loads whatever the first use would otherwise wait for; called once before the service reports ready.
     * Blocking is allowed (it runs at start-up, never on an event loop); engines with nothing to load do nothing.
     */
    default void warmUp() {
    }
}
