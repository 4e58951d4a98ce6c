package dev.voxline.loadtest.load;

import dev.voxline.contracts.event.VoiceEvent;
import java.util.List;
import java.util.function.Function;

/** A per-turn latency the load generator reports: its report group, its name (as in turn.metrics), how to read it. */
public record LoadMetric(String group, String name, Function<TurnRecord, Double> value) {

    public static final LoadMetric CLIENT_E2E = new LoadMetric("client", "e2e", TurnRecord::clientE2eMs);
    public static final LoadMetric TRANSPORT = server("transport", VoiceEvent.TurnMetrics::transport);
    public static final LoadMetric SERVER_E2E = server("e2e", VoiceEvent.TurnMetrics::e2e);

    /** Every metric, in the order the table prints them. */
    public static final List<LoadMetric> ALL = List.of(
            CLIENT_E2E,
            SERVER_E2E,
            TRANSPORT,
            server("eou_delay", VoiceEvent.TurnMetrics::eouDelay),
            server("transcription_delay", VoiceEvent.TurnMetrics::transcriptionDelay),
            server("llm_ttft", VoiceEvent.TurnMetrics::llmTtft),
            server("first_clause_delay", VoiceEvent.TurnMetrics::firstClauseDelay),
            server("tts_ttfb", VoiceEvent.TurnMetrics::ttsTtfb),
            server("vad_inference_ms", VoiceEvent.TurnMetrics::vadInferenceMs),
            new LoadMetric("playback", "underrun_gap", t -> t.replied() ? t.gapMs() : null));

    public String label() {
        return group + " " + name;
    }

    private static LoadMetric server(String name, Function<VoiceEvent.TurnMetrics, Double> field) {
        return new LoadMetric("server", name, t -> t.metrics() != null ? field.apply(t.metrics()) : null);
    }
}
