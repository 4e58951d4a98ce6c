package dev.voxline.loadtest.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.client.ClientMessage;
import dev.voxline.contracts.event.SessionConfig;
import org.junit.jupiter.api.Test;

class TimingsTests {

    @Test
    void knownTimingsAreTheIssuesReferenceFigures() {
        SessionConfig.Simulation known = Timings.KNOWN.simulation();

        assertThat(known.sttFinalDelayMs()).isEqualTo(120);
        assertThat(known.llmTtftMs()).isEqualTo(300);
        assertThat(known.ttsTtfbMs()).isEqualTo(100);
        assertThat(known.vadDecisionDelayMs()).isZero();
    }

    @Test
    void zeroTimingsRemoveEverySimulatedDelay() {
        SessionConfig.Simulation zero = Timings.ZERO.simulation();

        assertThat(zero.vadDecisionDelayMs()).isZero();
        assertThat(zero.sttFinalDelayMs()).isZero();
        assertThat(zero.llmTtftMs()).isZero();
        assertThat(zero.ttsTtfbMs()).isZero();
        assertThat(zero.ttsRealTimeFactor()).isZero();
        assertThat(zero.llmTokensPerSecond()).isEqualTo(1000.0);
    }

    @Test
    void defaultSendsNoSimulationAndScriptsCanBeAdded() {
        assertThat(Timings.DEFAULT.simulation()).isNull();
        SessionConfig.Simulation scripted = Timings.KNOWN.simulation("hello", "hi there");
        assertThat(scripted.transcript()).isEqualTo("hello");
        assertThat(scripted.reply()).isEqualTo("hi there");
        assertThat(scripted.llmTtftMs()).isEqualTo(300);
    }

    @Test
    void sessionStartCarriesTheTimingsUnderTheProtocolsFieldNames() {
        String json = JsonCodec.get().encodeToString(new ClientMessage.SessionStart(16_000, 16_000, null, null, null,
                Timings.KNOWN.simulation()));

        assertThat(json).contains("\"type\":\"session.start\"", "\"sttFinalDelayMs\":120", "\"llmTtftMs\":300",
                "\"ttsTtfbMs\":100", "\"vadDecisionDelayMs\":0");
    }

    @Test
    void realisticTimingsAreTheCapacityBenchmarksEngines() {
        SessionConfig.Simulation realistic = Timings.REALISTIC.simulation();

        assertThat(realistic.llmTtftMs()).isEqualTo(300);
        assertThat(realistic.llmTokensPerSecond()).isEqualTo(40.0);
        assertThat(realistic.ttsTtfbMs()).isEqualTo(100);
        assertThat(realistic.sttFinalDelayMs()).isEqualTo(120);
        assertThat(realistic.ttsRealTimeFactor()).isEqualTo(Timings.Known.TTS_REAL_TIME_FACTOR);
    }

    @Test
    void parsesNamesCaseInsensitively() {
        assertThat(Timings.parse("Known")).isEqualTo(Timings.KNOWN);
        assertThat(Timings.parse("zero")).isEqualTo(Timings.ZERO);
        assertThat(Timings.parse("realistic")).isEqualTo(Timings.REALISTIC);
        assertThatThrownBy(() -> Timings.parse("fast")).hasMessageContaining("zero, known, realistic or default");
    }
}
