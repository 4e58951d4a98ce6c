package dev.voxline.loadtest.overhead;

import dev.voxline.loadtest.report.BenchReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark 1's verdict from its four samples (milliseconds): the pipeline's {@code transport} against the plain
 * chain's five-hop total (the floor), the targets, and the client's E2E distributed against in-process.
 */
public record OverheadTable(List<Double> transport, List<Double> floor, List<Double> e2eDistributed,
                            List<Double> e2eInProcess) {

    /** Issue 7's targets. */
    public static final double RATIO_TARGET = 1.3;
    public static final double TRANSPORT_P50_TARGET_MS = 2.0;
    public static final double TRANSPORT_P99_TARGET_MS = 10.0;

    public OverheadTable {
        transport = List.copyOf(transport);
        floor = List.copyOf(floor);
        e2eDistributed = List.copyOf(e2eDistributed);
        e2eInProcess = List.copyOf(e2eInProcess);
    }

    public static double p(List<Double> values, double p) {
        return ChainResult.percentile(values, p);
    }

    /** transport ÷ floor at percentile {@code p}; NaN when either is missing. */
    public double ratio(double p) {
        return p(transport, p) / p(floor, p);
    }

    public boolean ratioMet() {
        return ratio(0.50) <= RATIO_TARGET && ratio(0.99) <= RATIO_TARGET;
    }

    public boolean transportMet() {
        return p(transport, 0.50) <= TRANSPORT_P50_TARGET_MS && p(transport, 0.99) <= TRANSPORT_P99_TARGET_MS;
    }

    /** The table's rows: what, n, p50, p95, p99, then the verdict. */
    public List<List<String>> rows() {
        List<List<String>> rows = new ArrayList<>();
        rows.add(row("transport (pipeline, 5 hops)", transport));
        rows.add(row("floor (plain kafka-clients, 5 hops)", floor));
        rows.add(List.of("transport ÷ floor", "", ratio(0.50), "", ratio(0.99)).stream().map(OverheadTable::cell)
                .toList());
        rows.add(row("client E2E distributed (Kafka)", e2eDistributed));
        rows.add(row("client E2E in-process", e2eInProcess));
        rows.add(List.of("E2E distributed − in-process", "", cell(p(e2eDistributed, 0.50) - p(e2eInProcess, 0.50)),
                cell(p(e2eDistributed, 0.95) - p(e2eInProcess, 0.95)),
                cell(p(e2eDistributed, 0.99) - p(e2eInProcess, 0.99))));
        return rows;
    }

    public static final List<String> COLUMNS = List.of("ms", "n", "p50", "p95", "p99");

    /** The console table, targets and verdicts included. */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-38s %5s %9s %9s %9s%n", COLUMNS.toArray()));
        for (List<String> row : rows()) {
            out.append(String.format(Locale.ROOT, "%-38s %5s %9s %9s %9s%n", row.toArray()));
        }
        out.append(String.format(Locale.ROOT, "target: transport ÷ floor ≤ %.1f at p50 and p99: %s (%s / %s)%n",
                RATIO_TARGET, verdict(ratioMet()), cell(ratio(0.50)), cell(ratio(0.99))));
        out.append(String.format(Locale.ROOT, "target: transport p50 ≤ %.0f ms, p99 ≤ %.0f ms: %s (%s / %s)%n",
                TRANSPORT_P50_TARGET_MS, TRANSPORT_P99_TARGET_MS, verdict(transportMet()),
                cell(p(transport, 0.50)), cell(p(transport, 0.99))));
        return out.toString();
    }

    public BenchReport.Table asReportTable() {
        return new BenchReport.Table("pipeline overhead", COLUMNS, rows());
    }

    private static String verdict(boolean met) {
        return met ? "met" : "NOT met";
    }

    private static List<String> row(String name, List<Double> values) {
        return List.of(name, Integer.toString(values.size()), cell(p(values, 0.50)), cell(p(values, 0.95)),
                cell(p(values, 0.99)));
    }

    private static String cell(Object value) {
        if (value instanceof Double d) {
            return Double.isNaN(d) ? "–" : String.format(Locale.ROOT, "%.2f", d);
        }
        return value.toString();
    }
}
