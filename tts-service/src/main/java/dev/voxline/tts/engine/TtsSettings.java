package dev.voxline.tts.engine;

import dev.voxline.contracts.event.SessionConfig;

/**
 * What a synthesiser needs for one clause.
 *
 * @param sampleRate of the PCM16LE mono output (the session's output rate)
 * @param voice      the session's voice, null for the engine's default
 * @param simulation the session's simulated-engine overrides (null fields: the engine's defaults); real engines
 *                   ignore it
 */
public record TtsSettings(int sampleRate, String voice, SessionConfig.Simulation simulation) {

    public SessionConfig.Simulation simulationOrEmpty() {
        return SessionConfig.Simulation.orNone(simulation);
    }
}
