package dev.voxline.loadtest.conversation;

import dev.voxline.loadtest.report.Percentiles;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/** The conversation benchmark's figures from its outcomes: rates and percentiles, printed one line each. */
public final class ConversationSummary {

    private ConversationSummary() {
    }

    /** "premature replies 3/17 (17.6 %)" over the utterances measured or not (a premature reply is seen either way). */
    public static <T> String rate(String what, List<T> outcomes, Predicate<T> counted) {
        long hits = outcomes.stream().filter(counted).count();
        return String.format(Locale.ROOT, "%s %d/%d (%.1f %%)", what, hits, outcomes.size(),
                outcomes.isEmpty() ? 0.0 : 100.0 * hits / outcomes.size());
    }

    /** "eou_delay n=17 p50 412 p95 2981 mean 801 ms", or "eou_delay n=0" when nothing was measured. */
    public static <T> String figure(String name, List<T> outcomes, Function<T, Double> value) {
        List<Double> values = outcomes.stream().map(value).filter(Objects::nonNull).filter(v -> v >= 0).toList();
        if (values.isEmpty()) {
            return name + " n=0";
        }
        Percentiles.Summary s = Percentiles.summarize(values);
        return String.format(Locale.ROOT, "%s n=%d p50 %.0f p95 %.0f mean %.0f max %.0f ms", name, s.count(),
                s.p50(), s.p95(), s.mean(), s.max());
    }

    /** The p50 of the values present, or null. */
    public static <T> Double p50(List<T> outcomes, Function<T, Double> value) {
        List<Double> values = outcomes.stream().map(value).filter(Objects::nonNull).filter(v -> v >= 0).toList();
        return values.isEmpty() ? null : Percentiles.summarize(values).p50();
    }
}
