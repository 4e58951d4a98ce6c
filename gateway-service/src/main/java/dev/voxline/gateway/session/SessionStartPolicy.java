package dev.voxline.gateway.session;

import dev.voxline.contracts.ErrorCodes;
import dev.voxline.contracts.audio.AudioFormat;
import dev.voxline.contracts.client.ClientMessage;
import dev.voxline.contracts.event.SessionConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a session starts. A {@code session.start} is checked and completed with defaults: rates from 8 to 48 kHz
 * (16 kHz when not named), a known VAD profile, {@code turnTaking} durations within ten minutes, and
 * {@code simulation} only where the server allows test settings (elsewhere it is dropped with an error, and the
 * session starts without it). A second {@code session.start} is refused. Audio or typed text before any
 * {@code session.start} starts the session with {@link #implicitStart() the defaults}.
 */
final class SessionStartPolicy {

    static final int MIN_SAMPLE_RATE = 8_000;
    static final int MAX_SAMPLE_RATE = 48_000;
    static final Set<String> VAD_PROFILES = Set.of(SessionConfig.DEFAULT_VAD_PROFILE, "high-accuracy");
    /** Upper bound of every turnTaking duration (and word count): ten minutes. */
    static final int MAX_TURN_TAKING_MS = 600_000;

    /** The session starts with {@code config} (null: it does not); the client is told {@code errors} first. */
    record Decision(SessionConfig config, List<ClientError> errors) {

        boolean starts() {
            return config != null;
        }
    }

    private final boolean allowTestSettings;

    SessionStartPolicy(boolean allowTestSettings) {
        this.allowTestSettings = allowTestSettings;
    }

    /** The session's configuration when the client sends audio or text without a {@code session.start}. */
    SessionConfig implicitStart() {
        return SessionConfig.defaults();
    }

    Decision decide(ClientMessage.SessionStart start, boolean alreadyStarted) {
        if (alreadyStarted) {
            return refused(List.of(), ErrorCodes.SESSION_ALREADY_STARTED, "the session has already started");
        }
        int input = start.inputSampleRate() != null ? start.inputSampleRate() : AudioFormat.PIPELINE_RATE;
        int output = start.outputSampleRate() != null ? start.outputSampleRate() : AudioFormat.PIPELINE_RATE;
        if (!validRate(input) || !validRate(output)) {
            return refused(List.of(), ErrorCodes.INVALID_MESSAGE, "sample rates must be between " + MIN_SAMPLE_RATE
                    + " and " + MAX_SAMPLE_RATE + " Hz");
        }
        String vadProfile = start.vadProfile() != null ? start.vadProfile() : SessionConfig.DEFAULT_VAD_PROFILE;
        if (!VAD_PROFILES.contains(vadProfile)) {
            return refused(List.of(), ErrorCodes.INVALID_MESSAGE, "unknown vadProfile \"" + vadProfile
                    + "\"; use one of " + VAD_PROFILES);
        }
        // An engine the client does not name stays null: each stage then applies its own configured default.
        SessionConfig.Engines engines = start.engines() != null ? start.engines() : SessionConfig.Engines.unnamed();
        SessionConfig.Simulation simulation = start.simulation();
        List<ClientError> warnings = new ArrayList<>();
        if (simulation != null && !allowTestSettings) {
            warnings.add(ClientError.of(ErrorCodes.TEST_SETTINGS_DISABLED,
                    "simulation settings are disabled on this server; the session starts without them"));
            simulation = null;
        }
        String invalid = invalidTurnTaking(start.turnTaking());
        if (invalid != null) {
            return refused(warnings, ErrorCodes.INVALID_MESSAGE, invalid);
        }
        return new Decision(new SessionConfig(input, output, vadProfile, engines, start.voice(), simulation,
                start.turnTaking()), List.copyOf(warnings));
    }

    private static Decision refused(List<ClientError> before, String code, String message) {
        List<ClientError> errors = new ArrayList<>(before);
        errors.add(ClientError.of(code, message));
        return new Decision(null, List.copyOf(errors));
    }

    /** Why a {@code turnTaking} object cannot be used, or null when it can. */
    static String invalidTurnTaking(SessionConfig.TurnTaking turnTaking) {
        if (turnTaking == null) {
            return null;
        }
        Map<String, Integer> durations = new LinkedHashMap<>();
        durations.put("minInterruptionMs", turnTaking.minInterruptionMs());
        durations.put("minInterruptionWords", turnTaking.minInterruptionWords());
        durations.put("falseInterruptionTimeoutMs", turnTaking.falseInterruptionTimeoutMs());
        durations.put("minEndpointingDelayMs", turnTaking.minEndpointingDelayMs());
        durations.put("maxEndpointingDelayMs", turnTaking.maxEndpointingDelayMs());
        durations.put("userIdleTimeoutMs", turnTaking.userIdleTimeoutMs());
        for (Map.Entry<String, Integer> entry : durations.entrySet()) {
            if (entry.getValue() != null && (entry.getValue() < 0 || entry.getValue() > MAX_TURN_TAKING_MS)) {
                return "turnTaking." + entry.getKey() + " must be between 0 and " + MAX_TURN_TAKING_MS;
            }
        }
        if (turnTaking.minEndpointingDelayMs() != null && turnTaking.maxEndpointingDelayMs() != null
                && turnTaking.minEndpointingDelayMs() > turnTaking.maxEndpointingDelayMs()) {
            return "turnTaking.minEndpointingDelayMs must not be over maxEndpointingDelayMs";
        }
        return null;
    }

    private static boolean validRate(int rate) {
        return rate >= MIN_SAMPLE_RATE && rate <= MAX_SAMPLE_RATE;
    }
}
