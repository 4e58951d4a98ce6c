package dev.voxline.contracts.client;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.voxline.contracts.event.SessionConfig;

/** JSON text frames a client sends on {@code /v1/talk} (docs/protocol.md). Unknown fields are ignored. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ClientMessage.SessionStart.class, name = "session.start"),
        @JsonSubTypes.Type(value = ClientMessage.TextInput.class, name = "text.input"),
        @JsonSubTypes.Type(value = ClientMessage.Interrupt.class, name = "interrupt"),
        @JsonSubTypes.Type(value = ClientMessage.PlaybackPosition.class, name = "playback.position"),
        @JsonSubTypes.Type(value = ClientMessage.ClientLatency.class, name = "client.latency"),
        @JsonSubTypes.Type(value = ClientMessage.SessionEnd.class, name = "session.end"),
})
public sealed interface ClientMessage {

    /**
     * Optional first message; every field is optional. {@code simulation} needs the gateway's test setting.
     * {@code synthetic}: the caller is a program (a warm-up or a monitoring probe), not a person: its turns are
     * reported, marked so, and kept out of the alert windows, rolling summaries and latency histograms.
     */
    record SessionStart(Integer inputSampleRate, Integer outputSampleRate, String vadProfile,
                        SessionConfig.Engines engines, String voice, SessionConfig.Simulation simulation,
                        SessionConfig.TurnTaking turnTaking, Boolean synthetic)
            implements ClientMessage {

        public SessionStart(Integer inputSampleRate, Integer outputSampleRate, String vadProfile,
                            SessionConfig.Engines engines, String voice, SessionConfig.Simulation simulation) {
            this(inputSampleRate, outputSampleRate, vadProfile, engines, voice, simulation, null, null);
        }

        public boolean syntheticCaller() {
            return Boolean.TRUE.equals(synthetic);
        }
    }

    /** Typed text instead of speech; enters the pipeline as a final transcript. */
    record TextInput(String text) implements ClientMessage {
    }

    /** Stop the agent's current reply. */
    record Interrupt(String turnId) implements ClientMessage {
    }

    /** How much of a turn's reply audio the client has played, in milliseconds. */
    record PlaybackPosition(String turnId, Long playedMs) implements ClientMessage {
    }

    /** The end-to-end latency the client measured for a turn, in milliseconds. */
    record ClientLatency(String turnId, Double e2eMs) implements ClientMessage {
    }

    record SessionEnd(String reason) implements ClientMessage {
    }
}
