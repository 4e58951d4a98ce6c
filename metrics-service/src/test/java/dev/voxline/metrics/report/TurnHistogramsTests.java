package dev.voxline.metrics.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.kafka.SessionRoute;
import dev.voxline.metrics.ingest.InterruptionCounters;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The names, buckets and tags Prometheus (and the Grafana dashboards and alert rules built on them) will see. */
class TurnHistogramsTests {

    /** The latency targets' neighbourhood, as Prometheus writes the {@code le} label. */
    private static final List<String> TARGET_BUCKETS = List.of("0.15", "0.2", "0.25", "0.3", "0.4", "0.5", "0.8",
            "1.0", "1.5", "2.0", "+Inf");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final TurnHistograms histograms = new TurnHistograms(registry);

    @Test
    void everyTurnFigureHasItsPrometheusNameInSecondsOrAsARatio() {
        histograms.observe(report(metrics(850.0, 420.0, 6.0)));
        new InterruptionCounters(registry).observe(new VoiceEvent.InterruptionMetrics("s-1", "t-1",
                VoiceEvent.InterruptionMetrics.BARGE_IN, 30.0));
        TurnReportConfiguration.bindAssemblerMeters(
                new TurnReportAssembler(Clock.systemUTC(), Duration.ofSeconds(10), 10, 10), registry);

        String scrape = registry.scrape();

        assertThat(scrape).contains(
                "# TYPE voice_turn_e2e_seconds histogram",
                "# TYPE voice_llm_ttft_seconds histogram",
                "# TYPE voice_llm_first_clause_delay_seconds histogram",
                "# TYPE voice_tts_ttfb_seconds histogram",
                "# TYPE voice_eou_delay_seconds histogram",
                "# TYPE voice_stt_transcription_delay_seconds histogram",
                "# TYPE voice_transport_seconds histogram",
                "# TYPE voice_stt_rtf histogram",
                "# TYPE voice_llm_tokens_per_second histogram",
                "# TYPE voice_interruptions_total counter",
                "# TYPE voice_turns_timed_out_total counter");
    }

    @Test
    void theHeadlineLatenciesHaveExactlyTheTargetBuckets() {
        histograms.observe(report(metrics(850.0, 420.0, 6.0)));

        String scrape = registry.scrape();

        for (String histogram : List.of("voice_turn_e2e_seconds", "voice_llm_ttft_seconds",
                "voice_tts_ttfb_seconds", "voice_llm_first_clause_delay_seconds")) {
            assertThat(buckets(scrape, histogram)).as(histogram).isEqualTo(TARGET_BUCKETS);
        }
        // beyond 2 s too: the endpointing wait alone can approach it
        assertThat(buckets(scrape, "voice_eou_delay_seconds")).containsSubsequence(TARGET_BUCKETS.subList(0, 10))
                .endsWith("3.0", "5.0", "+Inf");
        assertThat(buckets(scrape, "voice_stt_transcription_delay_seconds")).containsSubsequence(TARGET_BUCKETS
                .subList(0, 10));
        assertThat(buckets(scrape, "voice_transport_seconds")).startsWith("0.001", "0.002", "0.005");
        assertThat(buckets(scrape, "voice_stt_rtf")).containsExactly("0.05", "0.1", "0.2", "0.3", "0.5", "0.75",
                "1.0", "1.5", "2.0", "+Inf");
        assertThat(scrape).contains(
                "voice_turn_e2e_seconds_bucket{le=\"0.8\"} 0",
                "voice_turn_e2e_seconds_bucket{le=\"1.0\"} 1",
                "voice_turn_e2e_seconds_count 1",
                "voice_eou_delay_seconds_bucket{le=\"0.4\"} 0",
                "voice_eou_delay_seconds_bucket{le=\"0.5\"} 1",
                "voice_transport_seconds_bucket{le=\"0.005\"} 0",
                "voice_transport_seconds_bucket{le=\"0.01\"} 1");
    }

    @Test
    void eachStagesHistogramsAreTaggedWithItsEngineAndNeverTheSession() {
        histograms.observe(report(metrics(850.0, 420.0, 6.0)));

        String scrape = registry.scrape();

        assertThat(scrape).contains(
                "voice_llm_ttft_seconds_bucket{engine=\"openai\",model=\"qwen2.5:0.5b\",provider=\"127.0.0.1\","
                        + "le=\"0.25\"} 1",
                "voice_llm_first_clause_delay_seconds_count{engine=\"openai\",model=\"qwen2.5:0.5b\","
                        + "provider=\"127.0.0.1\"} 1",
                "voice_llm_tokens_per_second_bucket{engine=\"openai\",model=\"qwen2.5:0.5b\","
                        + "provider=\"127.0.0.1\",le=\"50.0\"} 1",
                "voice_tts_ttfb_seconds_count{engine=\"marytts\"} 1",
                "voice_stt_rtf_bucket{engine=\"vosk\",le=\"0.1\"} 1",
                "voice_stt_transcription_delay_seconds_count{engine=\"vosk\"} 1",
                "voice_turn_e2e_seconds_count 1");
        assertThat(scrape).doesNotContain("session", "s-1", "turn=", "t-1", "cmu-slt-hsmm");
    }

    @Test
    void aStageThatNamedNoEngineIsUnknownAndNewEnginesBeyondTheLimitAreOther() {
        histograms.observe(report(new VoiceEvent.TurnMetrics(1, 0, "s-1", "t-1", 400.0, 100.0, null, null, 0.1,
                250.0, null, null, null, null, null, 90.0, null, null, null, null, null, false, false, null, null,
                null, null)));
        for (int i = 0; i <= BoundedTagValues.DEFAULT_LIMIT; i++) {
            histograms.observe(report(withTts(metrics(850.0, 420.0, 6.0), "engine-" + i)));
        }

        String scrape = registry.scrape();

        assertThat(scrape).contains(
                "voice_llm_ttft_seconds_count{engine=\"unknown\",model=\"unknown\",provider=\"unknown\"} 1",
                "voice_stt_rtf_count{engine=\"unknown\"} 1",
                "voice_tts_ttfb_seconds_count{engine=\"unknown\"} 1",
                "voice_tts_ttfb_seconds_count{engine=\"engine-0\"} 1",
                "voice_tts_ttfb_seconds_count{engine=\"engine-19\"} 1",
                "voice_tts_ttfb_seconds_count{engine=\"other\"} 1");
    }

    @Test
    void absentFiguresAreNotObservedAndTypedTurnsLeaveTheVoiceFiguresAlone() {
        histograms.observe(report(metrics(null, null, null)));
        histograms.observe(new TurnReport(metrics(700.0, 0.0, 2.0), new SessionRoute("s-1", 0, null), true));

        String scrape = registry.scrape();

        assertThat(scrape).contains("voice_turn_e2e_seconds_count 1", "voice_transport_seconds_count 1",
                "voice_eou_delay_seconds_count 0",
                "voice_stt_transcription_delay_seconds_count{engine=\"vosk\"} 1");
    }

    @Test
    void valuesOutsideTheBucketsLandInTheFirstOneOrOnlyInInf() {
        VoiceEvent.TurnMetrics slow = metrics(2_500.0, 6_000.0, 0.2);
        histograms.observe(report(slow));

        String scrape = registry.scrape();

        assertThat(scrape).contains("voice_turn_e2e_seconds_bucket{le=\"2.0\"} 0",
                "voice_turn_e2e_seconds_bucket{le=\"+Inf\"} 1",
                "voice_eou_delay_seconds_bucket{le=\"5.0\"} 0",
                "voice_transport_seconds_bucket{le=\"0.001\"} 1",
                "voice_llm_first_clause_delay_seconds_bucket{engine=\"openai\",model=\"qwen2.5:0.5b\","
                        + "provider=\"127.0.0.1\",le=\"0.15\"} 1");
    }

    private static List<String> buckets(String scrape, String histogram) {
        Matcher matcher = Pattern.compile("^" + histogram + "_bucket\\{(?:[^}]*,)?le=\"([^\"]+)\"\\}",
                Pattern.MULTILINE).matcher(scrape);
        return matcher.results().map(result -> result.group(1)).distinct().collect(Collectors.toList());
    }

    private static VoiceEvent.TurnMetrics metrics(Double e2e, Double eouDelay, Double transport) {
        return new VoiceEvent.TurnMetrics(1, 0, "s-1", "t-1", eouDelay, 100.0, 120.0, 1800.0, 0.07, 250.0, 40.0,
                900.0, 52, 30, 45.0, 90.0, 700.0, 2400.0, 120, transport, e2e, false, false, null, null, null, null,
                "vosk", "openai", "127.0.0.1", "qwen2.5:0.5b", "marytts", "cmu-slt-hsmm", null, null);
    }

    private static VoiceEvent.TurnMetrics withTts(VoiceEvent.TurnMetrics m, String engine) {
        return new VoiceEvent.TurnMetrics(m.v(), m.ts(), m.sessionId(), m.turnId(), m.eouDelay(),
                m.transcriptionDelay(), m.sttDuration(), m.sttAudioDuration(), m.sttRtf(), m.llmTtft(),
                m.firstClauseDelay(), m.llmDuration(), m.promptTokens(), m.completionTokens(), m.tokensPerSecond(),
                m.ttsTtfb(), m.ttsDuration(), m.ttsAudioDuration(), m.ttsCharacters(), m.transport(), m.e2e(),
                m.interrupted(), m.cancelled(), m.traceId(), m.reason(), m.vadInferenceMs(), m.vadInferenceCount(),
                m.sttEngine(), m.llmEngine(), m.llmProvider(), m.llmModel(), engine, m.ttsVoice(), null, null);
    }

    private static TurnReport report(VoiceEvent.TurnMetrics metrics) {
        return new TurnReport(metrics, new SessionRoute("s-1", 0, null), false);
    }
}
