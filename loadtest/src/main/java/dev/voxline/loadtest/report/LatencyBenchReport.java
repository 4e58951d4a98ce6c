package dev.voxline.loadtest.report;

import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.loadtest.client.TurnResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The latency benchmark's tables: per figure n / p50 / p95 / mean over every measured turn (the server's
 * {@code turn.metrics} fields under their protocol names, the client's E2E, {@code stt_rtf} and the VAD's mean
 * inference time per window), the pooled word error rate of what was heard, the guide's tiers, and one row per
 * phrase. A turn without a figure is left out of that row ({@code n} says how many counted).
 *
 * <p>The guide's tiers are for real engines: a stage is graded only when the stack ({@link EngineStack}) says a real
 * engine ran it — {@code llm_ttft} only for a language model (never the built-in assistant or a simulated LLM),
 * {@code tts_ttfb} only for a real TTS, and {@code e2e} only when every stage was real and an LLM answered; a figure
 * not graded says why instead.
 */
public final class LatencyBenchReport {

    /** The guide's end-to-end tiers: excellent below 500 ms, good below 800 ms. */
    public static final double E2E_EXCELLENT_MS = 500;
    public static final double E2E_GOOD_MS = 800;
    /** The guide's TTS time-to-first-byte tiers: excellent below 150 ms, good below 200 ms. */
    public static final double TTFB_EXCELLENT_MS = 150;
    public static final double TTFB_GOOD_MS = 200;
    /** The guide's LLM time-to-first-token tiers: excellent below 250 ms, good below 400 ms. */
    public static final double TTFT_EXCELLENT_MS = 250;
    public static final double TTFT_GOOD_MS = 400;

    /** A figure: its name, its unit ("ms" or "" for a ratio) and how to read it off a turn (null = not measured). */
    public record Figure(String name, String unit, Function<TurnResult, Double> value) {

        public String format(double v) {
            if (Double.isNaN(v)) {
                return "–";
            }
            return String.format(Locale.ROOT, unit.isEmpty() ? "%.3f" : "%.1f", v);
        }
    }

    public static final List<Figure> FIGURES = List.of(
            server("eou_delay", VoiceEvent.TurnMetrics::eouDelay),
            server("transcription_delay", VoiceEvent.TurnMetrics::transcriptionDelay),
            server("llm_ttft", VoiceEvent.TurnMetrics::llmTtft),
            server("first_clause_delay", VoiceEvent.TurnMetrics::firstClauseDelay),
            server("tts_ttfb", VoiceEvent.TurnMetrics::ttsTtfb),
            server("e2e", VoiceEvent.TurnMetrics::e2e),
            server("transport", VoiceEvent.TurnMetrics::transport),
            new Figure("client e2e", "ms", TurnResult::clientE2eMs),
            new Figure("stt_rtf", "", t -> t.metrics() != null ? t.metrics().sttRtf() : null),
            server("vad_inference_ms", VoiceEvent.TurnMetrics::vadInferenceMs));

    /** One figure summarised. */
    public record Row(Figure figure, Percentiles.Summary summary, List<Double> samples) {
    }

    /** One phrase over every caller and round. */
    public record PhraseRow(String phrase, String reference, int utterances, WordErrorRate.Alignment words,
                            Percentiles.Summary e2e, Percentiles.Summary ttsTtfb, String lastHeard, int failed) {
        // lastHeard: the last non-empty transcript of the phrase ("" if it was never heard)
    }

    private LatencyBenchReport() {
    }

    /** Every turn of the utterances, in order. */
    public static List<TurnResult> turns(List<Utterance> utterances) {
        List<TurnResult> turns = new ArrayList<>();
        utterances.forEach(u -> turns.addAll(u.turns()));
        return turns;
    }

    public static List<Row> rows(List<Utterance> utterances) {
        List<TurnResult> turns = turns(utterances);
        List<Row> rows = new ArrayList<>();
        for (Figure figure : FIGURES) {
            List<Double> samples = samples(turns, figure);
            rows.add(new Row(figure, Percentiles.summarize(samples), samples));
        }
        return rows;
    }

    /** The figure's values over the turns, in order, turns without it left out. */
    public static List<Double> samples(List<TurnResult> turns, Figure figure) {
        List<Double> samples = new ArrayList<>();
        for (TurnResult turn : turns) {
            Double value = figure.value().apply(turn);
            if (value != null && !value.isNaN()) {
                samples.add(value);
            }
        }
        return samples;
    }

    /** Each figure's samples by name ("e2e" → values in ms), in {@link #FIGURES} order. */
    public static Map<String, List<Double>> samplesByFigure(List<Utterance> utterances) {
        Map<String, List<Double>> byFigure = new LinkedHashMap<>();
        for (Row row : rows(utterances)) {
            byFigure.put(row.figure().name(), row.samples());
        }
        return byFigure;
    }

    /** Σ edits / Σ reference words over the utterances. */
    public static WordErrorRate.Alignment words(List<Utterance> utterances) {
        return WordErrorRate.total(utterances.stream().map(Utterance::alignment).toList());
    }

    /** The figures' table: n / p50 / p95 / mean. */
    public static String table(List<Utterance> utterances) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-22s %4s %9s %9s %9s%n", "figure (ms)", "n", "p50", "p95", "mean"));
        for (Row row : rows(utterances)) {
            Figure f = row.figure();
            Percentiles.Summary s = row.summary();
            out.append(String.format(Locale.ROOT, "%-22s %4d %9s %9s %9s%n",
                    f.unit().isEmpty() ? f.name() + " (ratio)" : f.name(), s.count(), f.format(s.p50()),
                    f.format(s.p95()), f.format(s.mean())));
        }
        return out.toString();
    }

    /** "WER 4.2 % (5 edits / 120 reference words: 3 sub, 1 del, 1 ins) over 24 utterances". */
    public static String werLine(List<Utterance> utterances) {
        WordErrorRate.Alignment total = words(utterances);
        double rate = WordErrorRate.pooled(total);
        return String.format(Locale.ROOT, "WER %s (%d edits / %d reference words: %d sub, %d del, %d ins) over %d "
                        + "utterances", Double.isNaN(rate) ? "–" : String.format(Locale.ROOT, "%.1f %%", 100 * rate),
                total.edits(), total.referenceWords(), total.substitutions(), total.deletions(), total.insertions(),
                utterances.size());
    }

    /** The spoken sets of the utterances, in the order they were first said. */
    public static List<String> sets(List<Utterance> utterances) {
        return utterances.stream().map(Utterance::set).distinct().toList();
    }

    /** The utterances of one spoken set, in order. */
    public static List<Utterance> ofSet(List<Utterance> utterances, String set) {
        return utterances.stream().filter(u -> u.set().equals(set)).toList();
    }

    /**
     * The e2e, llm_ttft and tts_ttfb medians against the guide's tiers, one line each, each graded only when the
     * stage ran on a real engine (see the class comment); otherwise the line gives the median and why it is not
     * graded. With the built-in assistant the e2e line is followed by what the rest of the turn leaves an LLM:
     * the guide's e2e tiers minus the median of e2e − llm_ttft.
     */
    public static List<String> grades(List<Utterance> utterances, EngineStack stack) {
        List<TurnResult> turns = turns(utterances);
        double e2e = median(turns, "e2e");
        double ttft = median(turns, "llm_ttft");
        double ttfb = median(turns, "tts_ttfb");
        List<String> lines = new ArrayList<>();
        String e2eNotGraded = stack.whyE2eNotGraded();
        if (e2eNotGraded == null) {
            lines.add("e2e p50 " + tier(e2e, E2E_EXCELLENT_MS, E2E_GOOD_MS));
        } else {
            lines.add("e2e p50 " + ms(e2e) + ": not graded against the guide's tiers (good < " + ms(E2E_GOOD_MS)
                    + ", excellent < " + ms(E2E_EXCELLENT_MS) + ", which assume an LLM answered): " + e2eNotGraded);
            if (stack.builtinAssistant() && stack.realVad() && stack.realStt() && stack.realTts()) {
                lines.add("  " + llmBudget(turns));
            }
        }
        if (stack.languageModel()) {
            lines.add("llm_ttft p50 " + tier(ttft, TTFT_EXCELLENT_MS, TTFT_GOOD_MS));
        } else if (stack.builtinAssistant()) {
            lines.add("llm_ttft p50 " + ms(ttft) + ": not graded: the built-in assistant is not an LLM (it matches "
                    + "a few patterns and answers at once; the guide's TTFT tiers are for a model generating tokens)");
        } else {
            lines.add("llm_ttft p50 " + ms(ttft) + ": not graded: " + (stack.llm() == null ? "no LLM engine reported"
                    : stack.llmLabel() + ", its first token is a configured delay"));
        }
        if (stack.realTts()) {
            lines.add("tts_ttfb p50 " + tier(ttfb, TTFB_EXCELLENT_MS, TTFB_GOOD_MS));
        } else {
            lines.add("tts_ttfb p50 " + ms(ttfb) + ": not graded: " + (stack.tts() == null ? "no TTS engine reported"
                    : stack.ttsLabel() + ", its first audio is a configured delay"));
        }
        return lines;
    }

    /**
     * "the turn without the answer (e2e − llm_ttft) p50 510 ms: an LLM's first token would have to come within
     * 290 ms for good e2e (< 800 ms); over excellent (< 500 ms) before any LLM".
     */
    static String llmBudget(List<TurnResult> turns) {
        List<Double> rest = new ArrayList<>();
        for (TurnResult turn : turns) {
            VoiceEvent.TurnMetrics m = turn.metrics();
            if (m != null && m.e2e() != null && m.llmTtft() != null) {
                rest.add(m.e2e() - m.llmTtft());
            }
        }
        double p50 = Percentiles.summarize(rest).p50();
        if (Double.isNaN(p50)) {
            return "the turn without the answer (e2e − llm_ttft): not measured";
        }
        String good = "good e2e (< " + ms(E2E_GOOD_MS) + ")";
        String excellent = "excellent (< " + ms(E2E_EXCELLENT_MS) + ")";
        String budget;
        if (p50 >= E2E_GOOD_MS) {
            budget = "over " + good + " and " + excellent + " before any LLM";
        } else if (p50 >= E2E_EXCELLENT_MS) {
            budget = "an LLM's first token would have to come within " + ms(E2E_GOOD_MS - p50) + " for " + good
                    + "; over " + excellent + " before any LLM";
        } else {
            budget = "an LLM's first token would have to come within " + ms(E2E_GOOD_MS - p50) + " for " + good
                    + ", within " + ms(E2E_EXCELLENT_MS - p50) + " for " + excellent;
        }
        return "the turn without the answer (e2e − llm_ttft) p50 " + ms(p50) + ": " + budget;
    }

    private static double median(List<TurnResult> turns, String figure) {
        return Percentiles.summarize(samples(turns, figure(figure))).p50();
    }

    private static String ms(double value) {
        return Double.isNaN(value) ? "– (not measured)" : String.format(Locale.ROOT, "%.0f ms", value);
    }

    /** "612 ms: good (< 800 ms), misses excellent (< 500 ms)". */
    static String tier(double p50, double excellent, double good) {
        if (Double.isNaN(p50)) {
            return "not measured";
        }
        String value = String.format(Locale.ROOT, "%.0f ms: ", p50);
        String ex = String.format(Locale.ROOT, "%.0f ms", excellent);
        String ok = String.format(Locale.ROOT, "%.0f ms", good);
        if (p50 < excellent) {
            return value + "excellent (< " + ex + ")";
        }
        if (p50 < good) {
            return value + "good (< " + ok + "), misses excellent (< " + ex + ")";
        }
        return value + "misses good (< " + ok + ") and excellent (< " + ex + ")";
    }

    /** One row per phrase, in the order the phrases were first said. */
    public static List<PhraseRow> phraseRows(List<Utterance> utterances) {
        Map<String, List<Utterance>> byPhrase = new LinkedHashMap<>();
        for (Utterance u : utterances) {
            byPhrase.computeIfAbsent(u.phrase(), k -> new ArrayList<>()).add(u);
        }
        Figure e2e = figure("e2e");
        Figure ttfb = figure("tts_ttfb");
        List<PhraseRow> rows = new ArrayList<>();
        for (Map.Entry<String, List<Utterance>> entry : byPhrase.entrySet()) {
            List<Utterance> said = entry.getValue();
            List<TurnResult> turns = turns(said);
            rows.add(new PhraseRow(entry.getKey(), said.get(0).reference(), said.size(), words(said),
                    Percentiles.summarize(samples(turns, e2e)), Percentiles.summarize(samples(turns, ttfb)),
                    lastHeard(said), (int) said.stream().filter(Utterance::failed).count()));
        }
        return rows;
    }

    /** The per-phrase table: phrase, n, WER, e2e p50, tts_ttfb p50, failures, what was heard last. */
    public static String phraseTable(List<Utterance> utterances) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-26s %3s %7s %8s %8s %4s  %s%n", "phrase", "n", "WER", "e2e p50",
                "ttfb p50", "fail", "heard (last)"));
        for (PhraseRow row : phraseRows(utterances)) {
            double rate = WordErrorRate.pooled(row.words());
            out.append(String.format(Locale.ROOT, "%-26s %3d %7s %8s %8s %4d  %s%n", row.phrase(), row.utterances(),
                    Double.isNaN(rate) ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * rate),
                    LatencyLine.ms(nanToNull(row.e2e().p50())), LatencyLine.ms(nanToNull(row.ttsTtfb().p50())),
                    row.failed(), row.lastHeard().isEmpty() ? "–" : "\"" + row.lastHeard() + "\""));
        }
        return out.toString();
    }

    private static String lastHeard(List<Utterance> said) {
        for (int i = said.size() - 1; i >= 0; i--) {
            String heard = said.get(i).heard();
            if (!heard.isEmpty()) {
                return heard;
            }
        }
        return "";
    }

    public static Figure figure(String name) {
        return FIGURES.stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no figure " + name));
    }

    private static Double nanToNull(double value) {
        return Double.isNaN(value) ? null : value;
    }

    private static Figure server(String name, Function<VoiceEvent.TurnMetrics, Double> field) {
        return new Figure(name, "ms", t -> t.metrics() != null ? field.apply(t.metrics()) : null);
    }
}
