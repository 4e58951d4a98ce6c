package dev.voxline.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.loadtest.client.TurnResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyLineTests {

    @Test
    void clientE2eNextToEveryServerFigureInMilliseconds() {
        VoiceEvent.TurnMetrics m = metrics(498.4, 380.2, 121.0, 300.4, 35.1, 100.2, 4.26, false, null);

        assertThat(LatencyLine.format(turn(512.3, m))).isEqualTo("latency turn_a: client e2e 512 ms | server e2e 498, "
                + "eou_delay 380, transcription_delay 121, llm_ttft 300, first_clause_delay 35, tts_ttfb 100, "
                + "transport 4.3 (ms)");
    }

    @Test
    void missingFiguresShowADashAndTheReportsReason() {
        VoiceEvent.TurnMetrics m = metrics(null, 380.0, 120.0, 300.0, null, null, null, true,
                "incomplete after 10000 ms: no metrics from tts");

        assertThat(LatencyLine.format(turn(null, m))).isEqualTo("latency turn_a: client e2e – (no reply audio) | "
                + "server e2e –, eou_delay 380, transcription_delay 120, llm_ttft 300, first_clause_delay –, "
                + "tts_ttfb –, transport – (ms), interrupted — incomplete after 10000 ms: no metrics from tts");
    }

    @Test
    void saysSoWhenTheServerSentNoReport() {
        assertThat(LatencyLine.format(turn(640.0, null)))
                .isEqualTo("latency turn_a: client e2e 640 ms | server: no turn.metrics received");
    }

    @Test
    void smallValuesKeepOneDecimal() {
        assertThat(LatencyLine.ms(0.0)).isEqualTo("0.0");
        assertThat(LatencyLine.ms(9.94)).isEqualTo("9.9");
        assertThat(LatencyLine.ms(10.4)).isEqualTo("10");
        assertThat(LatencyLine.ms(-3.25)).isEqualTo("-3.3");
        assertThat(LatencyLine.ms(null)).isEqualTo("–");
    }

    static TurnResult turn(Double clientE2e, VoiceEvent.TurnMetrics metrics) {
        return new TurnResult("turn_a", false, "hi", "hello", clientE2e, metrics, new byte[0], 16_000, true, false,
                List.of(), true);
    }

    static VoiceEvent.TurnMetrics metrics(Double e2e, Double eou, Double transcription, Double ttft, Double clause,
                                          Double ttfb, Double transport, boolean interrupted, String reason) {
        return new VoiceEvent.TurnMetrics(1, 0, "sess_1", "turn_a", eou, transcription, 100.0, 1500.0, 0.07, ttft,
                clause, 600.0, 10, 8, 20.0, ttfb, 300.0, 1800.0, 28, transport, e2e, interrupted, false, null, reason, null, null);
    }
}
