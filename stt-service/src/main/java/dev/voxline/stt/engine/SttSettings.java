package dev.voxline.stt.engine;

import dev.voxline.contracts.event.SessionConfig;

/**
 * What a recogniser needs for one utterance.
 *
 * @param sampleRate of the PCM16LE mono audio
 * @param simulation the session's simulated-engine overrides (null fields: the engine's defaults); real engines
 *                   ignore it
 */
public record SttSettings(int sampleRate, SessionConfig.Simulation simulation) {

    public SessionConfig.Simulation simulationOrEmpty() {
        return SessionConfig.Simulation.orNone(simulation);
    }
}
