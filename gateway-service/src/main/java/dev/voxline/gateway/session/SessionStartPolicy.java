package dev.voxline.gateway.session;

import dev.voxline.contracts.ErrorCodes;
import dev.voxline.contracts.audio.AudioFormat;
import dev.voxline.contracts.client.ClientMessage;
import dev.voxline.contracts.event.SessionConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * How a session starts. A {@code session.start} whose fields break a rule ({@link MessageRules}: rates from 8 to
 * 48 kHz, a known VAD profile, durations within ten minutes …) is refused with that field's error, and the session
 * stays unstarted; a valid one is completed with defaults (16 kHz when no rate is named, each stage's own engine when
 * none is named), and {@code simulation} is kept only where the server allows test settings (elsewhere it is dropped
 * with an error, and the session starts without it). A second {@code session.start} is refused. Audio or typed text
 * before any {@code session.start} starts the session with {@link #implicitStart() the defaults}.
 */
final class SessionStartPolicy {

    /** The session starts with {@code config} (null: it does not); the client is told {@code errors} first. */
    record Decision(SessionConfig config, List<ClientError> errors) {

        boolean starts() {
            return config != null;
        }
    }

    private final boolean allowTestSettings;
    private final MessageRules rules;

    SessionStartPolicy(boolean allowTestSettings, MessageRules rules) {
        this.allowTestSettings = allowTestSettings;
        this.rules = rules;
    }

    /** The session's configuration when the client sends audio or text without a {@code session.start}. */
    SessionConfig implicitStart() {
        return SessionConfig.defaults();
    }

    Decision decide(ClientMessage.SessionStart start, boolean alreadyStarted) {
        if (alreadyStarted) {
            return refused(ClientError.of(ErrorCodes.SESSION_ALREADY_STARTED, "the session has already started"));
        }
        ClientError invalid = rules.check(start);
        if (invalid != null) {
            return refused(invalid);
        }
        int input = start.inputSampleRate() != null ? start.inputSampleRate() : AudioFormat.PIPELINE_RATE;
        int output = start.outputSampleRate() != null ? start.outputSampleRate() : AudioFormat.PIPELINE_RATE;
        String vadProfile = start.vadProfile() != null ? start.vadProfile() : SessionConfig.DEFAULT_VAD_PROFILE;
        // An engine the client does not name stays null: each stage then applies its own configured default.
        SessionConfig.Engines engines = start.engines() != null ? start.engines() : SessionConfig.Engines.unnamed();
        SessionConfig.Simulation simulation = start.simulation();
        List<ClientError> warnings = new ArrayList<>();
        if (simulation != null && !allowTestSettings) {
            warnings.add(ClientError.of(ErrorCodes.TEST_SETTINGS_DISABLED,
                    "simulation settings are disabled on this server; the session starts without them"));
            simulation = null;
        }
        return new Decision(new SessionConfig(input, output, vadProfile, engines, start.voice(), simulation,
                start.turnTaking()), List.copyOf(warnings));
    }

    private static Decision refused(ClientError error) {
        return new Decision(null, List.of(error));
    }
}
