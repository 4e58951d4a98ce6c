package dev.voxline.loadtest.cli;

import dev.voxline.loadtest.audio.UnreadableAudioException;
import dev.voxline.loadtest.load.CapacityRun;
import dev.voxline.loadtest.load.LoadSettings;
import dev.voxline.loadtest.load.LoadSummary;
import dev.voxline.loadtest.load.ProcessSampler;
import dev.voxline.loadtest.load.ProgressReporter;
import dev.voxline.loadtest.load.StepVerdict;
import dev.voxline.loadtest.report.BenchReport;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./voxline bench capacity}: how many concurrent callers the suite holds on this machine.
 */
@Command(name = "capacity", mixinStandardHelpOptions = true,
        description = {"Ramp simulated callers up in steps (sessions added on top of the previous step's, each "
                + "step held --step) with simulated engines at realistic timings (TTFT 300 ms, 40 tokens/s, TTS "
                + "TTFB 100 ms, STT final 120 ms) and real-time audio. Stops at the first step where p99 transport "
                + "> 50 ms, reply audio underruns appear, sessions drop or errors occur; then holds the largest "
                + "good step for --hold and says whether it held. Per step: p99 transport, p99 client E2E, "
                + "underruns, errors, CPU (cores) and RSS of each process; the curve goes into the HTML report.",
                "--vad silero: the real Silero VAD, every other stage simulated.",
                "Needs the gateway started with ./voxline up --allow-test-settings (unless --timings default)."})
public final class CapacityBenchCommand implements Callable<Integer> {

    @Option(names = "--steps", split = ",", defaultValue = "10,25,50,100,150,200,250,300,400",
            description = "session counts, rising (default: ${DEFAULT-VALUE})")
    private List<Integer> steps;

    @Option(names = "--step", defaultValue = "60s", converter = Durations.class, description = "how long each step "
            + "lasts (default: ${DEFAULT-VALUE})")
    private Duration step;

    @Option(names = "--step-ramp", defaultValue = "10s", converter = Durations.class, description = "within a step, "
            + "the added sessions start over this; the step's latencies count from then on (default: "
            + "${DEFAULT-VALUE})")
    private Duration stepRamp;

    @Option(names = "--hold", defaultValue = "5m", converter = Durations.class, description = "then hold the "
            + "largest good step this long (0 to skip) (default: ${DEFAULT-VALUE})")
    private Duration hold;

    @Option(names = "--warmup", defaultValue = "30s", converter = Durations.class, description = "the first step's "
            + "sessions run this long, unmeasured, before step 1 (default: ${DEFAULT-VALUE})")
    private Duration warmup;

    @Option(names = "--min-turns", defaultValue = "200", description = "a step goes on after --step until it has "
            + "measured this many turns (at most 4 × --step), so its p99 is not its worst turn (default: "
            + "${DEFAULT-VALUE})")
    private int minTurns;

    @Option(names = "--max-p99-transport", defaultValue = "50", description = "a step fails above this p99 "
            + "transport in ms (default: ${DEFAULT-VALUE})")
    private double maxP99Transport;

    @Mixin
    private LoadOptions load;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CapacityRun.Plan plan;
        try {
            plan = new CapacityRun.Plan(steps, step, stepRamp, hold, load.drain, maxP99Transport, warmup,
                    minTurns);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        LoadSettings settings;
        try {
            settings = load.settings();
        } catch (UnreadableAudioException e) {
            err.println("voxline bench: " + e.getMessage());
            return 1;
        }
        String title = String.format(Locale.ROOT, "steps %s, %s each, hold %s, %s", steps,
                LoadBenchCommand.seconds(step), LoadBenchCommand.seconds(hold), load.engines());
        out.println("capacity: " + title + " against " + load.url);
        out.flush();
        boolean terminal = ProgressReporter.onTerminal();
        ProgressReporter[] reporter = new ProgressReporter[1];
        CapacityRun.Result result = CapacityRun.run(settings, plan, state -> {
            reporter[0] = new ProgressReporter(out, terminal, state);
            return reporter[0];
        }, s -> reporter[0].println(stepLine(s)));

        out.println();
        out.print(stepTable(result));
        out.println();
        out.println(verdict(result));
        BenchReport report = report(title, result);
        BenchReport.Written files = report.finished().write(load.out);
        out.println("report: " + files.json() + " and " + files.html());
        out.flush();
        return result.largestGood() > 0 && (hold.isZero() || result.held()) ? 0 : 1;
    }

    static String stepLine(CapacityRun.StepResult s) {
        StepVerdict.StepFigures f = s.figures();
        return String.format(Locale.ROOT, "%-7s %4d sessions: p99 transport %s ms, p99 client e2e %s ms, %d turns, "
                        + "underruns %d, errors %d, dropped %d, suite %.2f cores %.0f MB — %s", s.name(),
                s.sessions(), ms(f.p99Transport()), ms(s.p99ClientE2e()), f.turns(), f.underruns(), f.errors(),
                f.dropped(), s.suiteCores(), s.suiteRssMb(), s.verdict().describe());
    }

    private static String verdict(CapacityRun.Result r) {
        CapacityRun.StepResult limit = r.limit();
        StringBuilder line = new StringBuilder();
        if (r.largestGood() == 0) {
            line.append("no step held");
        } else {
            line.append("largest good step: ").append(r.largestGood()).append(" sessions");
        }
        if (limit != null) {
            line.append("; limit at ").append(limit.sessions()).append(" sessions: ")
                    .append(String.join(", ", limit.verdict().reasons()));
        } else {
            line.append(" (every step held: the limit is above the last step)");
        }
        if (r.hold() != null) {
            line.append("\nhold of ").append(r.hold().sessions()).append(" sessions: ")
                    .append(r.hold().verdict().describe());
        }
        return line.toString();
    }

    private static List<String> columns(List<CapacityRun.StepResult> all) {
        List<String> columns = new ArrayList<>(List.of("step", "sessions", "turns", "p99 transport ms",
                "p99 client e2e ms", "underruns", "errors", "dropped", "suite cores", "suite RSS MB",
                "cores/session", "RSS MB/session"));
        for (String process : processes(all)) {
            columns.add(process + " cores");
            columns.add(process + " RSS MB");
        }
        columns.add("verdict");
        return columns;
    }

    private static List<String> processes(List<CapacityRun.StepResult> all) {
        List<String> names = new ArrayList<>();
        for (CapacityRun.StepResult s : all) {
            for (ProcessSampler.ProcessUsage u : s.usage()) {
                if (!names.contains(u.label())) {
                    names.add(u.label());
                }
            }
        }
        return names;
    }

    private static List<List<String>> rows(List<CapacityRun.StepResult> all) {
        List<String> processes = processes(all);
        List<List<String>> rows = new ArrayList<>();
        for (CapacityRun.StepResult s : all) {
            StepVerdict.StepFigures f = s.figures();
            List<String> row = new ArrayList<>(List.of(s.name(), String.valueOf(s.sessions()),
                    String.valueOf(f.turns()), ms(f.p99Transport()), ms(s.p99ClientE2e()),
                    String.valueOf(f.underruns()), String.valueOf(f.errors()), String.valueOf(f.dropped()),
                    fixed(s.suiteCores(), 2), fixed(s.suiteRssMb(), 0), fixed(s.suiteCores() / s.sessions(), 3),
                    fixed(s.suiteRssMb() / s.sessions(), 1)));
            Map<String, ProcessSampler.ProcessUsage> byLabel = new LinkedHashMap<>();
            s.usage().forEach(u -> byLabel.put(u.label(), u));
            for (String process : processes) {
                ProcessSampler.ProcessUsage u = byLabel.get(process);
                row.add(u != null ? fixed(u.meanCores(), 2) : "–");
                row.add(u != null ? fixed(u.meanRssMb(), 0) : "–");
            }
            row.add(s.verdict().describe());
            rows.add(row);
        }
        return rows;
    }

    private static List<CapacityRun.StepResult> all(CapacityRun.Result r) {
        List<CapacityRun.StepResult> all = new ArrayList<>(r.steps());
        if (r.hold() != null) {
            all.add(r.hold());
        }
        return all;
    }

    static String stepTable(CapacityRun.Result r) {
        List<CapacityRun.StepResult> all = all(r);
        List<String> columns = columns(all);
        List<List<String>> rows = rows(all);
        int[] widths = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            widths[i] = columns.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : prepend(columns, rows)) {
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                out.append(i == 0 || i == row.size() - 1 ? String.format("%-" + widths[i] + "s", cell)
                        : String.format("%" + widths[i] + "s", cell));
                out.append(i == row.size() - 1 ? "\n" : "  ");
            }
        }
        return out.toString();
    }

    private static List<List<String>> prepend(List<String> header, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        return all;
    }

    private BenchReport report(String title, CapacityRun.Result r) {
        BenchReport report = load.describeIn(BenchReport.create("capacity", title)
                .setting("steps", steps.toString())
                .setting("step s", step.toMillis() / 1000.0)
                .setting("step ramp s", stepRamp.toMillis() / 1000.0)
                .setting("hold s", hold.toMillis() / 1000.0)
                .setting("warm-up s", warmup.toMillis() / 1000.0)
                .setting("min turns per step", minTurns)
                .setting("max p99 transport ms", maxP99Transport));
        report.result("largest good step (sessions)", r.largestGood());
        CapacityRun.StepResult limit = r.limit();
        report.result("limit", limit == null ? "every step held"
                : limit.sessions() + " sessions: " + String.join(", ", limit.verdict().reasons()));
        if (r.hold() != null) {
            report.result("hold sessions", r.hold().sessions())
                    .result("held", r.held())
                    .result("hold verdict", r.hold().verdict().describe())
                    .result("hold suite cores per session", r.hold().suiteCores() / r.hold().sessions())
                    .result("hold suite RSS MB per session", r.hold().suiteRssMb() / r.hold().sessions());
        }
        List<Double> x = new ArrayList<>();
        List<Double> transport = new ArrayList<>();
        List<Double> e2e = new ArrayList<>();
        List<Double> cores = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        List<Double> underruns = new ArrayList<>();
        for (CapacityRun.StepResult s : r.steps()) {
            x.add((double) s.sessions());
            transport.add(nullIfNaN(s.figures().p99Transport()));
            e2e.add(nullIfNaN(s.p99ClientE2e()));
            cores.add(s.suiteCores());
            rss.add(s.suiteRssMb());
            underruns.add((double) s.figures().underruns());
        }
        report.curve(new BenchReport.Curve("p99 transport by sessions", "sessions", "ms",
                List.of(new BenchReport.Series("p99 transport", x, transport))));
        report.curve(new BenchReport.Curve("p99 client E2E by sessions", "sessions", "ms",
                List.of(new BenchReport.Series("p99 client e2e", x, e2e))));
        List<BenchReport.Series> cpu = new ArrayList<>();
        cpu.add(new BenchReport.Series("suite", x, cores));
        for (String process : processes(r.steps())) {
            List<Double> y = new ArrayList<>();
            for (CapacityRun.StepResult s : r.steps()) {
                y.add(s.usage().stream().filter(u -> u.label().equals(process)).findFirst()
                        .map(ProcessSampler.ProcessUsage::meanCores).orElse(null));
            }
            cpu.add(new BenchReport.Series(process, x, y));
        }
        report.curve(new BenchReport.Curve("CPU by sessions", "sessions", "cores", cpu));
        report.curve(new BenchReport.Curve("suite RSS by sessions", "sessions", "MB",
                List.of(new BenchReport.Series("suite RSS", x, rss))));
        report.curve(new BenchReport.Curve("reply audio underruns by sessions", "sessions", "underruns",
                List.of(new BenchReport.Series("underruns", x, underruns))));
        List<CapacityRun.StepResult> all = all(r);
        report.table(new BenchReport.Table("Steps", columns(all), rows(all)));
        if (r.hold() != null) {
            LoadSummary.addTo(report, r.recorder().window(r.hold().fromNanos(), r.hold().toNanos()),
                    r.hold().usage(), r.hold().sessions());
            report.note("latency samples and the Latency table are the hold's (" + r.hold().sessions()
                    + " sessions)");
        } else {
            LoadSummary.addTo(report, r.recorder().all(), r.usage(), 0);
            report.note("latency samples and the Latency table are the whole run's (no hold)");
        }
        return report;
    }

    private static Double nullIfNaN(double value) {
        return Double.isNaN(value) ? null : value;
    }

    private static String ms(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
