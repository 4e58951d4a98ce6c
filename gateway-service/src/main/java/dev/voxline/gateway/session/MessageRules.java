package dev.voxline.gateway.session;

import dev.voxline.contracts.ErrorCodes;
import dev.voxline.contracts.client.ClientMessage;
import dev.voxline.contracts.event.SessionConfig;
import java.util.Set;

/**
 * The values the fields of a client message may take (docs/protocol.md §4). Decoding has already checked each
 * field's JSON type; these are the ranges, the sets of names and the required fields. {@link #check} returns the
 * error the client is told about the first field that breaks a rule (see {@link FieldChecks}), or null when the
 * message may be used. Engine names, the voice and simulated faults belong to the stages, which answer an unknown one
 * themselves ({@code stage_failed}, naming what they have), so any string passes here.
 */
final class MessageRules {

    static final int MIN_SAMPLE_RATE = 8_000;
    static final int MAX_SAMPLE_RATE = 48_000;
    static final Set<String> VAD_PROFILES = Set.of(SessionConfig.DEFAULT_VAD_PROFILE, "high-accuracy");
    /** Upper bound of every duration in {@code turnTaking} and {@code simulation} (and of the word count): 10 min. */
    static final int MAX_DURATION_MS = 600_000;

    private final int maxTextChars;

    MessageRules(int maxTextChars) {
        this.maxTextChars = maxTextChars;
    }

    ClientError check(ClientMessage message) {
        if (message instanceof ClientMessage.SessionStart start) {
            return sessionStart(start);
        }
        if (message instanceof ClientMessage.TextInput input) {
            return new FieldChecks("text.input")
                    .required("text", input.text())
                    .atMostChars("text", input.text(), maxTextChars, ErrorCodes.TEXT_TOO_LONG)
                    .error();
        }
        if (message instanceof ClientMessage.PlaybackPosition position) {
            return turnReport("playback.position", position.turnId(), "playedMs", position.playedMs());
        }
        if (message instanceof ClientMessage.ClientLatency latency) {
            return turnReport("client.latency", latency.turnId(), "e2eMs", latency.e2eMs());
        }
        // interrupt and session.end: each of their fields is an optional string, any value of which may be used.
        return null;
    }

    private static ClientError sessionStart(ClientMessage.SessionStart start) {
        FieldChecks checks = new FieldChecks("session.start")
                .between("inputSampleRate", start.inputSampleRate(), MIN_SAMPLE_RATE, MAX_SAMPLE_RATE)
                .between("outputSampleRate", start.outputSampleRate(), MIN_SAMPLE_RATE, MAX_SAMPLE_RATE)
                .oneOf("vadProfile", start.vadProfile(), VAD_PROFILES);
        turnTaking(checks, start.turnTaking());
        simulation(checks, start.simulation());
        return checks.error();
    }

    private static void turnTaking(FieldChecks checks, SessionConfig.TurnTaking turnTaking) {
        if (turnTaking == null) {
            return;
        }
        duration(checks, "turnTaking.minInterruptionMs", turnTaking.minInterruptionMs());
        duration(checks, "turnTaking.minInterruptionWords", turnTaking.minInterruptionWords());
        duration(checks, "turnTaking.falseInterruptionTimeoutMs", turnTaking.falseInterruptionTimeoutMs());
        duration(checks, "turnTaking.minEndpointingDelayMs", turnTaking.minEndpointingDelayMs());
        duration(checks, "turnTaking.maxEndpointingDelayMs", turnTaking.maxEndpointingDelayMs());
        duration(checks, "turnTaking.userIdleTimeoutMs", turnTaking.userIdleTimeoutMs());
        Integer min = turnTaking.minEndpointingDelayMs();
        Integer max = turnTaking.maxEndpointingDelayMs();
        checks.check(min == null || max == null || min <= max, ErrorCodes.INVALID_FIELD,
                "turnTaking.minEndpointingDelayMs must not be over maxEndpointingDelayMs (" + max + ")", min);
    }

    private static void simulation(FieldChecks checks, SessionConfig.Simulation simulation) {
        if (simulation == null) {
            return;
        }
        duration(checks, "simulation.vadDecisionDelayMs", simulation.vadDecisionDelayMs());
        duration(checks, "simulation.sttFinalDelayMs", simulation.sttFinalDelayMs());
        duration(checks, "simulation.llmTtftMs", simulation.llmTtftMs());
        duration(checks, "simulation.ttsTtfbMs", simulation.ttsTtfbMs());
        checks.notNegative("simulation.llmTokensPerSecond", simulation.llmTokensPerSecond())
                .notNegative("simulation.ttsRealTimeFactor", simulation.ttsRealTimeFactor());
    }

    private static void duration(FieldChecks checks, String field, Integer ms) {
        checks.between(field, ms, 0, MAX_DURATION_MS);
    }

    /** A client report about a turn ({@code type}) must name the turn and carry a non-negative {@code field}. */
    private static ClientError turnReport(String type, String turnId, String field, Number amount) {
        return new FieldChecks(type, turnId)
                .required("turnId", turnId)
                .required(field, amount)
                .notNegative(field, amount)
                .error();
    }
}
