package dev.voxline.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.ErrorCodes;
import org.junit.jupiter.api.Test;

class MessageRulesTests {

    private final MessageRules rules = new MessageRules(5);

    private ClientError verdict(String json) {
        return ClientInput.verdict(rules, json);
    }

    private void refused(String json, String code, String message) {
        ClientError error = verdict(json);
        assertThat(error).as(json).isNotNull();
        assertThat(error.code()).as(json).isEqualTo(code);
        assertThat(error.message()).as(json).isEqualTo(message);
    }

    private void invalid(String json, String message) {
        refused(json, ErrorCodes.INVALID_FIELD, message);
    }

    @Test
    void everyFieldWithinItsRulesPasses() {
        assertThat(verdict("""
                {"type":"session.start","inputSampleRate":8000,"outputSampleRate":48000,"vadProfile":"high-accuracy",
                 "engines":{"vad":"silero","stt":"whisper"},"voice":"slt",
                 "simulation":{"vadDecisionDelayMs":0,"sttFinalDelayMs":600000,"llmTtftMs":300,
                  "llmTokensPerSecond":0,"ttsTtfbMs":100,"ttsRealTimeFactor":0.5,"transcript":"hi","reply":"{context}",
                  "fault":"llm.silent"},
                 "turnTaking":{"minInterruptionMs":0,"minInterruptionWords":2,"falseInterruptionTimeoutMs":2000,
                  "minEndpointingDelayMs":300,"maxEndpointingDelayMs":300,"preemptiveGeneration":false,
                  "userIdleTimeoutMs":600000,"echoGate":true}}""")).isNull();
        assertThat(verdict("{\"type\":\"session.start\"}")).isNull();
        assertThat(verdict("{\"type\":\"text.input\",\"text\":\"😀😀😀😀😀\"}")).isNull(); // 5 code points, 10 chars
        assertThat(verdict("{\"type\":\"interrupt\"}")).isNull();
        assertThat(verdict("{\"type\":\"interrupt\",\"turnId\":\"turn_1\"}")).isNull();
        assertThat(verdict("{\"type\":\"playback.position\",\"turnId\":\"turn_1\",\"playedMs\":0}")).isNull();
        assertThat(verdict("{\"type\":\"client.latency\",\"turnId\":\"turn_1\",\"e2eMs\":512}")).isNull();
        assertThat(verdict("{\"type\":\"session.end\"}")).isNull();
    }

    @Test
    void aTextInputWhoseTextIsANumberIsRefusedNamingText() {
        invalid("{\"type\":\"text.input\",\"text\":42}", "text.input: text must be a string (got 42)");
    }

    @Test
    void typedTextMustSaySomethingWithinTheCharacterLimit() {
        invalid("{\"type\":\"text.input\"}", "text.input: text is required (got nothing)");
        invalid("{\"type\":\"text.input\",\"text\":\"  \"}", "text.input: text must not be blank (got \"  \")");
        refused("{\"type\":\"text.input\",\"text\":\"sixsix\"}", ErrorCodes.TEXT_TOO_LONG,
                "text.input: text must be at most 5 characters (got 6)");
    }

    @Test
    void aNegativeSampleRateIsRefusedNamingTheRate() {
        invalid("{\"type\":\"session.start\",\"inputSampleRate\":-5}",
                "session.start: inputSampleRate must be between 8000 and 48000 (got -5)");
        invalid("{\"type\":\"session.start\",\"outputSampleRate\":48001}",
                "session.start: outputSampleRate must be between 8000 and 48000 (got 48001)");
    }

    @Test
    void aVadProfileMustBeOneTheGatewayHas() {
        invalid("{\"type\":\"session.start\",\"vadProfile\":\"fastest\"}",
                "session.start: vadProfile must be one of high-accuracy, low-latency (got \"fastest\")");
    }

    @Test
    void turnTakingDurationsStayWithinTenMinutesAndTheEndpointingDelaysInOrder() {
        invalid("{\"type\":\"session.start\",\"turnTaking\":{\"minInterruptionMs\":-1}}",
                "session.start: turnTaking.minInterruptionMs must be between 0 and 600000 (got -1)");
        invalid("{\"type\":\"session.start\",\"turnTaking\":{\"userIdleTimeoutMs\":600001}}",
                "session.start: turnTaking.userIdleTimeoutMs must be between 0 and 600000 (got 600001)");
        invalid("{\"type\":\"session.start\",\"turnTaking\":{\"minEndpointingDelayMs\":900,"
                + "\"maxEndpointingDelayMs\":100}}", "session.start: turnTaking.minEndpointingDelayMs must not be "
                + "over maxEndpointingDelayMs (100) (got 900)");
    }

    @Test
    void simulationTimingsAreDurationsAndRatesAreFiniteAndNotNegative() {
        invalid("{\"type\":\"session.start\",\"simulation\":{\"llmTtftMs\":-1}}",
                "session.start: simulation.llmTtftMs must be between 0 and 600000 (got -1)");
        invalid("{\"type\":\"session.start\",\"simulation\":{\"llmTokensPerSecond\":-0.5}}",
                "session.start: simulation.llmTokensPerSecond must be 0 or more (got -0.5)");
        invalid("{\"type\":\"session.start\",\"simulation\":{\"ttsRealTimeFactor\":1e999}}",
                "session.start: simulation.ttsRealTimeFactor must be a finite number (got Infinity)");
    }

    @Test
    void engineNamesAreLeftToTheirStages() {
        assertThat(verdict("{\"type\":\"session.start\",\"engines\":{\"vad\":\"nope\",\"tts\":\"\"}}")).isNull();
    }

    @Test
    void aTurnReportNamesItsTurnAndANonNegativeAmount() {
        invalid("{\"type\":\"playback.position\",\"playedMs\":120}",
                "playback.position: turnId is required (got nothing)");
        invalid("{\"type\":\"playback.position\",\"turnId\":\"turn_1\"}",
                "playback.position: playedMs is required (got nothing)");
        ClientError negative = verdict("{\"type\":\"playback.position\",\"turnId\":\"turn_1\",\"playedMs\":-1}");
        assertThat(negative.turnId()).isEqualTo("turn_1");
        assertThat(negative.message()).isEqualTo("playback.position: playedMs must be 0 or more (got -1)");
        invalid("{\"type\":\"client.latency\",\"turnId\":\"turn_1\",\"e2eMs\":-0.5}",
                "client.latency: e2eMs must be 0 or more (got -0.5)");
    }
}
