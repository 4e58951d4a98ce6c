package dev.voxline.metrics.alert;

import dev.voxline.metrics.summary.RollingWindows;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * One validated alert rule: {@code statistic} of {@code metric} over the window (the last {@code windowTurns} turns
 * and/or the turns of the last {@code windowTime}, every session together) {@code comparison} {@code threshold};
 * true for {@code forDuration} before it fires. Built by {@link AlertRules}, never directly from configuration.
 *
 * @param windowTurns 0 when the window is bounded by time alone
 * @param windowTime  {@link Duration#ZERO} when the window is bounded by turn count alone
 */
public record AlertRule(String id, String name, String metric, Statistic statistic, Comparison comparison,
                        double threshold, int windowTurns, Duration windowTime, Duration forDuration, String severity,
                        Map<String, String> labels, String description) {

    public AlertRule {
        labels = Map.copyOf(labels);
    }

    /** The statistic of the window compared with the threshold; {@code value}: the newest turn's figure alone. */
    public enum Statistic {
        VALUE, AVG, MIN, MAX, P50, P95, P99;

        double of(RollingWindows.FigureWindow window) {
            RollingWindows.Stats stats = window.stats();
            return switch (this) {
                case VALUE -> window.newest();
                case AVG -> stats.avg();
                case MIN -> stats.min();
                case MAX -> stats.max();
                case P50 -> stats.p50();
                case P95 -> stats.p95();
                case P99 -> stats.p99();
            };
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Comparison {
        GREATER(">"), GREATER_OR_EQUAL(">="), LESS("<"), LESS_OR_EQUAL("<=");

        private final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        boolean holds(double value, double threshold) {
            return switch (this) {
                case GREATER -> value > threshold;
                case GREATER_OR_EQUAL -> value >= threshold;
                case LESS -> value < threshold;
                case LESS_OR_EQUAL -> value <= threshold;
            };
        }
    }

    /** True when {@code value} (a window's statistic, or one turn's figure) is on the alerting side. */
    public boolean breachedBy(double value) {
        return comparison.holds(value, threshold);
    }

    /** {@code p95(e2e) > 1000 over the last 10 turns / 60s for 30s}. */
    public String condition() {
        StringBuilder window = new StringBuilder();
        if (windowTurns > 0) {
            window.append("the last ").append(windowTurns).append(" turns");
        }
        if (!windowTime.isZero()) {
            window.append(window.length() > 0 ? " within " : "the turns of the last ").append(format(windowTime));
        }
        return statistic.label() + "(" + metric + ") " + comparison.symbol() + " " + number(threshold) + " over "
                + window + (forDuration.isZero() ? "" : " for " + format(forDuration));
    }

    static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.3f", value);
    }

    static String format(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }
}
