package dev.voxline.loadtest.load;

import dev.voxline.loadtest.report.BenchReport;
import dev.voxline.loadtest.report.Percentiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The end of a load run: the console table (per metric n/p50/p95/p99/mean; turns, errors, dropped sessions,
 * underruns; CPU and RSS per process and per session) and the same figures in a {@link BenchReport}.
 */
public final class LoadSummary {

    private LoadSummary() {
    }

    public static String table(LoadRecorder.Window w, List<ProcessSampler.ProcessUsage> usage, int sessions) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-28s %6s %8s %8s %8s %8s%n", "ms", "n", "p50", "p95", "p99",
                "mean"));
        for (List<String> row : latencyRows(w)) {
            out.append(String.format(Locale.ROOT, "%-28s %6s %8s %8s %8s %8s%n", row.toArray()));
        }
        out.append(counts(w)).append('\n');
        if (usage.isEmpty()) {
            out.append("no process figures (no /proc on this system)\n");
            return out.toString();
        }
        out.append(String.format(Locale.ROOT, "%n%-36s %10s %10s %12s %12s%n", "process", "cores mean", "cores max",
                "RSS MB mean", "RSS MB max"));
        for (List<String> row : processRows(usage, sessions)) {
            out.append(String.format(Locale.ROOT, "%-36s %10s %10s %12s %12s%n", row.toArray()));
        }
        return out.toString();
    }

    /** One line: turns, replies, errors, drops, underruns. */
    public static String counts(LoadRecorder.Window w) {
        return String.format(Locale.ROOT, "turns %d (without reply %d) in %d sessions, errors %d, dropped sessions %d, "
                        + "underruns %d in %d turns (%.0f ms of gaps)", w.turnCount(), w.turnsWithoutReply(),
                w.sessionsWithReply(), w.errors(), w.droppedSessions(), w.underruns(), w.turnsWithUnderruns(),
                w.gapMs());
    }

    static List<List<String>> latencyRows(LoadRecorder.Window w) {
        List<List<String>> rows = new ArrayList<>();
        for (LoadMetric metric : LoadMetric.ALL) {
            Percentiles.Summary s = Percentiles.summarize(w.values(metric));
            rows.add(List.of(metric.label(), String.valueOf(s.count()), cell(s.p50()), cell(s.p95()), cell(s.p99()),
                    cell(s.mean())));
        }
        return rows;
    }

    static List<List<String>> processRows(List<ProcessSampler.ProcessUsage> usage, int sessions) {
        List<List<String>> rows = new ArrayList<>();
        for (ProcessSampler.ProcessUsage u : usage) {
            rows.add(List.of(u.label(), fixed(u.meanCores(), 2), fixed(u.maxCores(), 2), fixed(u.meanRssMb(), 0),
                    fixed(u.maxRssMb(), 0)));
        }
        double[] suite = ProcessSampler.suiteTotals(usage);
        rows.add(List.of("suite (all but the load generator)", fixed(suite[0], 2), "", fixed(suite[1], 0), ""));
        if (sessions > 0) {
            rows.add(List.of("suite per session (" + sessions + ")", fixed(suite[0] / sessions, 3), "",
                    fixed(suite[1] / sessions, 1), ""));
            ProcessSampler.ProcessUsage self = usage.stream().filter(u -> !u.suite()).findFirst().orElse(null);
            if (self != null) {
                rows.add(List.of("loadtest per session", fixed(self.meanCores() / sessions, 3), "",
                        fixed(self.meanRssMb() / sessions, 1), ""));
            }
        }
        return rows;
    }

    /** Adds the window's samples, counts, process figures and tables to {@code report}. */
    public static void addTo(BenchReport report, LoadRecorder.Window w, List<ProcessSampler.ProcessUsage> usage,
                             int sessions) {
        for (LoadMetric metric : LoadMetric.ALL) {
            report.samples(metric.group(), metric.name(), w.values(metric));
        }
        report.result("sessions", sessions)
                .result("sessions with a reply", w.sessionsWithReply())
                .result("turns", w.turnCount())
                .result("turns without reply", w.turnsWithoutReply())
                .result("errors", w.errors())
                .result("dropped sessions", w.droppedSessions())
                .result("underruns", w.underruns())
                .result("turns with underruns", w.turnsWithUnderruns())
                .result("underrun gap ms", w.gapMs());
        if (!usage.isEmpty()) {
            double[] suite = ProcessSampler.suiteTotals(usage);
            report.result("suite cores (mean)", suite[0]).result("suite RSS MB (mean)", suite[1]);
            if (sessions > 0) {
                report.result("suite cores per session", suite[0] / sessions)
                        .result("suite RSS MB per session", suite[1] / sessions);
            }
            report.table(new BenchReport.Table("Processes", List.of("process", "cores mean", "cores max",
                    "RSS MB mean", "RSS MB max"), processRows(usage, sessions)));
        }
        report.table(new BenchReport.Table("Latency (ms)", List.of("metric", "n", "p50", "p95", "p99", "mean"),
                latencyRows(w)));
        int shown = 0;
        for (Map.Entry<String, Integer> e : w.incidentMessages().entrySet()) {
            if (shown++ == 10) {
                break;
            }
            report.note(e.getValue() + "× " + e.getKey());
        }
    }

    private static String cell(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
