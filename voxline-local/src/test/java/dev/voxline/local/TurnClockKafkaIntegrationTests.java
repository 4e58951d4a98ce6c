package dev.voxline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.event.VoiceEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The turn clock through the real broker: simulated engines with known timings, and the per-turn report must give
 * them back. Tolerances are generous (a busy 2-core machine): this proves the clock measures the right intervals,
 * it is not a benchmark.
 */
class TurnClockKafkaIntegrationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final int STT_FINAL_MS = 120;
    static final int LLM_TTFT_MS = 300;
    static final int TTS_TTFB_MS = 100;
    /** How far a measured stage figure may exceed its configured value (scheduling, GC, a busy machine). */
    static final double STAGE_SLACK_MS = 150;
    /** How far e2e may be from the sum of its parts. */
    static final double SUM_SLACK_MS = 100;

    static String knownTimings(String fault) {
        return """
                {"type":"session.start","engines":{"vad":"simulated","stt":"simulated","llm":"simulated","tts":"simulated"},
                 "simulation":{"vadDecisionDelayMs":0,"sttFinalDelayMs":%d,"llmTtftMs":%d,
                 "llmTokensPerSecond":50,"ttsTtfbMs":%d,"ttsRealTimeFactor":0.2,
                 "transcript":"what time is it in paris","reply":"It is noon. Enjoy your lunch in Paris."%s}}"""
                .formatted(STT_FINAL_MS, LLM_TTFT_MS, TTS_TTFB_MS, fault == null ? "" : ",\"fault\":\"" + fault + "\"");
    }

    @Test
    void aSpokenTurnIsMeasuredStageByStageAndEndToEnd() throws Exception {
        Wav wav = Wav.resource("question-16k.wav");
        try (TestTalkClient client = TestTalkClient.connect(SharedStack.gatewayPort())) {
            client.sendJson(knownTimings(null));
            client.await(VoiceEvent.SessionStarted.class, TIMEOUT);
            client.streamPcm(wav.pcm(), wav.sampleRate(), 20, 1.0); // real time: endpointing waits real silence
            client.streamPcm(new byte[wav.sampleRate()], wav.sampleRate(), 20, 1.0);
            VoiceEvent.TurnMetrics report = client.await(VoiceEvent.TurnMetrics.class, TIMEOUT);
            VoiceEvent.AudioDone done = client.await(VoiceEvent.AudioDone.class, TIMEOUT);

            assertThat(report.turnId()).isEqualTo(done.turnId());
            assertThat(report.reason()).isNull();
            assertThat(report.sttDuration()).isBetween((double) STT_FINAL_MS, STT_FINAL_MS + STAGE_SLACK_MS);
            assertThat(report.llmTtft()).isBetween((double) LLM_TTFT_MS, LLM_TTFT_MS + STAGE_SLACK_MS);
            assertThat(report.ttsTtfb()).isBetween((double) TTS_TTFB_MS, TTS_TTFB_MS + STAGE_SLACK_MS);
            assertThat(report.sttAudioDuration()).isBetween(1_500.0, 3_500.0);
            assertThat(report.completionTokens()).isEqualTo(8);
            // 8 tokens at 50/s: a short sample, so the rate is checked loosely and its arithmetic exactly
            assertThat(report.tokensPerSecond()).isBetween(30.0, 90.0);
            assertThat(report.tokensPerSecond()).isCloseTo(
                    report.completionTokens() * 1000.0 / (report.llmDuration() - report.llmTtft()), within(0.5));
            // the clauses TTS spoke: "It is noon." and "Enjoy your lunch in Paris."
            assertThat(report.ttsCharacters()).isEqualTo(11 + 26);
            assertThat(report.interrupted()).isFalse();
            assertThat(report.cancelled()).isFalse();

            // The clock's own relations (docs/metrics.md).
            assertThat(report.transcriptionDelay()).isLessThanOrEqualTo(report.eouDelay());
            assertThat(report.eouDelay()).isLessThanOrEqualTo(report.e2e());
            // eou_delay holds the 300 ms silence window of the low-latency profile plus the STT final delay.
            assertThat(report.eouDelay()).isBetween(300.0 + STT_FINAL_MS, 300.0 + STT_FINAL_MS + 250);
            assertThat(report.transport()).isGreaterThan(0).isLessThan(report.e2e() / 5);
            double parts = report.eouDelay() + report.llmTtft() + report.firstClauseDelay() + report.ttsTtfb();
            assertThat(report.e2e()).as("e2e vs eou + ttft + first clause + ttfb = %.1f (+ last two hops)", parts)
                    .isBetween(parts, parts + SUM_SLACK_MS);
            System.out.printf("spoken turn: e2e %.1f = eou %.1f + ttft %.1f + first clause %.1f + ttfb %.1f "
                            + "(+ %.1f); transport %.2f%n", report.e2e(), report.eouDelay(), report.llmTtft(),
                    report.firstClauseDelay(), report.ttsTtfb(), report.e2e() - parts, report.transport());
        }
    }

    @Test
    void aTypedTurnStartsItsClockAtTheGateway() throws Exception {
        try (TestTalkClient client = TestTalkClient.connect(SharedStack.gatewayPort())) {
            client.sendJson(knownTimings(null));
            client.await(VoiceEvent.SessionStarted.class, TIMEOUT);
            client.sendJson("{\"type\":\"text.input\",\"text\":\"what time is it\"}");
            VoiceEvent.TurnMetrics report = client.await(VoiceEvent.TurnMetrics.class, TIMEOUT);

            assertThat(report.reason()).isNull();
            assertThat(report.eouDelay()).isZero();
            assertThat(report.sttDuration()).isNull();
            assertThat(report.llmTtft()).isBetween((double) LLM_TTFT_MS, LLM_TTFT_MS + STAGE_SLACK_MS);
            assertThat(report.ttsTtfb()).isBetween((double) TTS_TTFB_MS, TTS_TTFB_MS + STAGE_SLACK_MS);
            assertThat(report.transport()).isGreaterThan(0).isLessThan(report.e2e() / 5);
            double parts = report.llmTtft() + report.firstClauseDelay() + report.ttsTtfb();
            assertThat(report.e2e()).isBetween(parts, parts + SUM_SLACK_MS);
        }
    }

    @Test
    void aStageThatNeverAnswersStillGetsAReportAfterTheTimeout() throws Exception {
        try (TestTalkClient client = TestTalkClient.connect(SharedStack.gatewayPort())) {
            client.sendJson(knownTimings("llm.silent"));
            String sessionId = client.await(VoiceEvent.SessionStarted.class, TIMEOUT).sessionId();
            client.sendJson("{\"type\":\"text.input\",\"text\":\"hello?\"}");
            VoiceEvent.TurnMetrics report = client.await(VoiceEvent.TurnMetrics.class, TIMEOUT);

            assertThat(report.reason()).isNotBlank().contains("llm");
            assertThat(report.llmTtft()).isNull();
            assertThat(report.ttsTtfb()).isNull();
            assertThat(report.e2e()).isNull();
            assertThat(report.eouDelay()).isZero(); // llm-service decided the turn ended, then never answered
            assertThat(client.types()).doesNotContain("audio.start", "binary");

            // metrics-service keeps it for operators too.
            int metricsPort = SharedStack.get().service("metrics-service").port();
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + metricsPort + "/api/v1/turns?session=" + sessionId + "&limit=5")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains(report.turnId()).contains("\"reason\"");
            assertThat(JsonCodec.get().encodeToString(report)).contains("\"eou_delay\"");
        }
    }
}
