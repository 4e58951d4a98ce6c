package dev.voxline.loadtest.report;

import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.loadtest.client.TurnResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The clock benchmark's table: p50 / p95 (and mean, min, max) over the measured turns of the server's e2e, eou_delay,
 * the pipeline's own cost e2e − eou_delay, transport, the client's E2E, the stage figures, and how far e2e is from
 * LiveKit's decomposition eou_delay + llm_ttft + first_clause_delay + tts_ttfb (docs/metrics.md: the remainder is the
 * last two hops plus queueing). A turn without a figure is left out of that row ({@code n} says how many counted).
 */
public final class ClockBenchReport {

    /** One table row: a label and how to get its value from a turn (null = not measured). */
    public record Row(String label, Function<TurnResult, Double> value) {
    }

    public static final List<Row> ROWS = List.of(
            new Row("e2e", t -> metric(t, VoiceEvent.TurnMetrics::e2e)),
            new Row("eou_delay", t -> metric(t, VoiceEvent.TurnMetrics::eouDelay)),
            new Row("e2e - eou_delay", t -> difference(metric(t, VoiceEvent.TurnMetrics::e2e),
                    metric(t, VoiceEvent.TurnMetrics::eouDelay))),
            new Row("transport", t -> metric(t, VoiceEvent.TurnMetrics::transport)),
            new Row("client e2e", TurnResult::clientE2eMs),
            new Row("client e2e - e2e", t -> difference(t.clientE2eMs(), metric(t, VoiceEvent.TurnMetrics::e2e))),
            new Row("transcription_delay", t -> metric(t, VoiceEvent.TurnMetrics::transcriptionDelay)),
            new Row("llm_ttft", t -> metric(t, VoiceEvent.TurnMetrics::llmTtft)),
            new Row("first_clause_delay", t -> metric(t, VoiceEvent.TurnMetrics::firstClauseDelay)),
            new Row("tts_ttfb", t -> metric(t, VoiceEvent.TurnMetrics::ttsTtfb)),
            new Row("e2e - (eou+ttft+clause+ttfb)", ClockBenchReport::decompositionRemainder));

    private ClockBenchReport() {
    }

    /** e2e − (eou_delay + llm_ttft + first_clause_delay + tts_ttfb), null if any of them is missing. */
    public static Double decompositionRemainder(TurnResult turn) {
        VoiceEvent.TurnMetrics m = turn.metrics();
        if (m == null || m.e2e() == null || m.eouDelay() == null || m.llmTtft() == null
                || m.firstClauseDelay() == null || m.ttsTtfb() == null) {
            return null;
        }
        return m.e2e() - (m.eouDelay() + m.llmTtft() + m.firstClauseDelay() + m.ttsTtfb());
    }

    public static String table(List<TurnResult> turns) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-30s %4s %8s %8s %8s %8s %8s%n", "ms", "n", "p50", "p95", "mean",
                "min", "max"));
        for (Row row : ROWS) {
            List<Double> values = new ArrayList<>();
            for (TurnResult turn : turns) {
                Double value = row.value().apply(turn);
                if (value != null) {
                    values.add(value);
                }
            }
            Percentiles.Summary s = Percentiles.summarize(values);
            out.append(String.format(Locale.ROOT, "%-30s %4d %8s %8s %8s %8s %8s%n", row.label(), s.count(),
                    cell(s.p50()), cell(s.p95()), cell(s.mean()), cell(s.min()), cell(s.max())));
        }
        return out.toString();
    }

    private static String cell(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.1f", value);
    }

    private static Double metric(TurnResult turn, Function<VoiceEvent.TurnMetrics, Double> field) {
        return turn.metrics() != null ? field.apply(turn.metrics()) : null;
    }

    private static Double difference(Double a, Double b) {
        return a != null && b != null ? a - b : null;
    }
}
