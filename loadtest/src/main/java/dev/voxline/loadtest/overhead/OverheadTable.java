package dev.voxline.loadtest.overhead;

import dev.voxline.loadtest.report.BenchReport;
import dev.voxline.loadtest.report.Bootstrap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark 1's verdict from its four samples (milliseconds): the pipeline's {@code transport} against the plain
 * chain's five-hop total (the floor) and the client's E2E distributed against in-process, with their targets.
 * Every percentile comes with its bootstrap 95 % confidence interval ({@link Bootstrap}, fixed seed), and a target
 * is only "met" or "NOT met" when the whole interval is on one side of it; otherwise this run cannot tell.
 */
public record OverheadTable(List<Double> transport, List<Double> floor, List<Double> e2eDistributed,
                            List<Double> e2eInProcess, Bootstrap bootstrap) {

    /** transport ÷ floor at p50 and at p99. */
    public static final double RATIO_TARGET = 1.2;
    /** client E2E distributed − in-process at p50 and at p99 (ms). */
    public static final double DIFFERENCE_P50_TARGET_MS = 5.0;
    public static final double DIFFERENCE_P99_TARGET_MS = 15.0;
    public static final List<Double> PERCENTILES = List.of(0.50, 0.95, 0.99);
    public static final List<String> COLUMNS = List.of("ms", "n", "p50 [95 % CI]", "p95 [95 % CI]",
            "p99 [95 % CI]");

    /** A target against an interval: met, not met, or undecided when the interval spans it. */
    public enum Verdict {
        MET("met"), NOT_MET("NOT met"), UNDECIDED("undecided (the 95 % interval spans the target)");

        private final String text;

        Verdict(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        static Verdict of(Bootstrap.Interval interval, double target) {
            if (Double.isNaN(interval.estimate())) {
                return NOT_MET;
            }
            if (interval.high() <= target) {
                return MET;
            }
            return interval.low() > target ? NOT_MET : UNDECIDED;
        }

        static Verdict both(Verdict a, Verdict b) {
            if (a == NOT_MET || b == NOT_MET) {
                return NOT_MET;
            }
            return a == MET && b == MET ? MET : UNDECIDED;
        }
    }

    public OverheadTable {
        transport = List.copyOf(transport);
        floor = List.copyOf(floor);
        e2eDistributed = List.copyOf(e2eDistributed);
        e2eInProcess = List.copyOf(e2eInProcess);
    }

    public OverheadTable(List<Double> transport, List<Double> floor, List<Double> e2eDistributed,
                         List<Double> e2eInProcess) {
        this(transport, floor, e2eDistributed, e2eInProcess, Bootstrap.standard());
    }

    /** transport ÷ floor at percentile {@code p}. */
    public Bootstrap.Interval ratio(double p) {
        return bootstrap.ratio(transport, floor, p);
    }

    /** client E2E distributed − in-process at percentile {@code p}. */
    public Bootstrap.Interval e2eDifference(double p) {
        return bootstrap.difference(e2eDistributed, e2eInProcess, p);
    }

    public Verdict ratioVerdict() {
        return Verdict.both(Verdict.of(ratio(0.50), RATIO_TARGET), Verdict.of(ratio(0.99), RATIO_TARGET));
    }

    /** Null when there is no in-process run to compare with. */
    public Verdict differenceVerdict() {
        if (e2eInProcess.isEmpty()) {
            return null;
        }
        return Verdict.both(Verdict.of(e2eDifference(0.50), DIFFERENCE_P50_TARGET_MS),
                Verdict.of(e2eDifference(0.99), DIFFERENCE_P99_TARGET_MS));
    }

    /** The difference target's verdict as text, "not measured" without an in-process run. */
    public String differenceVerdictText() {
        Verdict verdict = differenceVerdict();
        return verdict == null ? "not measured (no in-process run)" : verdict.text();
    }

    /** The table's rows: what, n, then p50, p95, p99 each with its interval. */
    public List<List<String>> rows() {
        List<List<String>> rows = new ArrayList<>();
        rows.add(sample("transport (pipeline, 5 hops)", transport));
        rows.add(sample("floor (plain kafka-clients, 5 hops)", floor));
        rows.add(derived("transport ÷ floor", this::ratio));
        rows.add(sample("client E2E distributed (Kafka)", e2eDistributed));
        rows.add(sample("client E2E in-process", e2eInProcess));
        rows.add(derived("E2E distributed − in-process", this::e2eDifference));
        return rows;
    }

    /** The console table, targets and verdicts included. */
    public String render() {
        StringBuilder out = new StringBuilder(new BenchReport.Table("", COLUMNS, rows()).text());
        out.append(String.format(Locale.ROOT, "target: transport ÷ floor ≤ %.1f at p50 and p99: %s (%s / %s)%n",
                RATIO_TARGET, ratioVerdict().text(), ratio(0.50).format(2), ratio(0.99).format(2)));
        String figures = e2eInProcess.isEmpty() ? ""
                : " (" + e2eDifference(0.50).format(2) + " / " + e2eDifference(0.99).format(2) + ")";
        out.append(String.format(Locale.ROOT, "target: client E2E distributed − in-process ≤ %.0f ms at p50, ≤ %.0f ms "
                + "at p99: %s%s%n", DIFFERENCE_P50_TARGET_MS, DIFFERENCE_P99_TARGET_MS, differenceVerdictText(),
                figures));
        return out.toString();
    }

    public BenchReport.Table asReportTable() {
        return new BenchReport.Table("pipeline overhead (95 % bootstrap intervals)", COLUMNS, rows());
    }

    private List<String> sample(String name, List<Double> values) {
        List<String> row = new ArrayList<>(List.of(name, Integer.toString(values.size())));
        for (double p : PERCENTILES) {
            row.add(bootstrap.percentile(values, p).format(2));
        }
        return row;
    }

    private List<String> derived(String name, java.util.function.DoubleFunction<Bootstrap.Interval> statistic) {
        List<String> row = new ArrayList<>(List.of(name, ""));
        for (double p : PERCENTILES) {
            row.add(statistic.apply(p).format(2));
        }
        return row;
    }
}
