package dev.voxline.llm.engine;

import dev.voxline.contracts.event.SessionConfig;

/**
 * Per-request settings. {@code simulation}: the session's simulated-engine overrides (null fields keep the
 * engine's defaults); real engines ignore it.
 */
public record LlmSettings(SessionConfig.Simulation simulation) {

    public SessionConfig.Simulation simulationOrEmpty() {
        return SessionConfig.Simulation.orNone(simulation);
    }
}
