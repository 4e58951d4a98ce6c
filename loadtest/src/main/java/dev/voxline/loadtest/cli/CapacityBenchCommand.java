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
        description = {"How many concurrent callers the suite holds on this machine. Simulated callers hold "
                + "conversations with an open microphone (audio streams all the time: speech, then silence while "
                + "the reply plays and while they think), with simulated engines at realistic timings (TTFT 300 ms, "
                + "40 tokens/s, TTS TTFB 100 ms, STT final 120 ms).",
                "First one session alone for --baseline-turns turns: the single-session client E2E p95/p99. Then "
                        + "sessions ramp up in --steps (added on top of the previous step's, each step held --step "
                        + "and until it has --min-turns turns). A step holds when, over ≥ --min-turns turns, client "
                        + "E2E p95 ≤ single + 50 ms and p99 ≤ single + 100 ms, reply-audio underrun time ≤ 0.1 %% of "
                        + "the reply audio, no session dropped, no error, no turn without a reply, and the suite "
                        + "(services + broker) uses ≤ 75 %% of the machine's CPU. The ramp stops at the first step "
                        + "that fails; the deciding steps (the highest that held and the next one up) are then "
                        + "measured --repeats times each for --hold, alternately; the capacity is the highest that "
                        + "held every time. p99 transport is printed as a diagnostic only.",
                "Smoke run: --steps 5,10 --step 20s --step-ramp 5s --hold 20s --warmup 0s --min-turns 10 "
                        + "--baseline-turns 3 --repeats 1.",
                "--vad silero: the real Silero VAD, every other stage simulated.",
                "Needs the gateway started with ./voxline up --allow-test-settings (unless --timings default)."})
public final class CapacityBenchCommand implements Callable<Integer> {

    @Option(names = "--steps", split = ",", defaultValue = "10,25,50,75,100,125,150,200",
            description = "session counts, rising (default: ${DEFAULT-VALUE})")
    private List<Integer> steps;

    @Option(names = "--step", defaultValue = "60s", converter = Durations.class, description = "how long each ramp "
            + "step lasts at least (default: ${DEFAULT-VALUE})")
    private Duration step;

    @Option(names = "--step-ramp", defaultValue = "10s", converter = Durations.class, description = "within a step, "
            + "the added sessions start over this; the step's latencies count from then on (default: "
            + "${DEFAULT-VALUE})")
    private Duration stepRamp;

    @Option(names = "--hold", defaultValue = "5m", converter = Durations.class, description = "how long each repeat "
            + "of a deciding step lasts at least (0: no repeats) (default: ${DEFAULT-VALUE})")
    private Duration hold;

    @Option(names = "--repeats", defaultValue = "3", description = "repeats of each deciding step (default: "
            + "${DEFAULT-VALUE})")
    private int repeats;

    @Option(names = "--warmup", defaultValue = "30s", converter = Durations.class, description = "the first step's "
            + "sessions run this long, unmeasured, before step 1 (default: ${DEFAULT-VALUE})")
    private Duration warmup;

    @Option(names = "--min-turns", defaultValue = "200", description = "a step or repeat goes on until it has "
            + "measured this many turns (at most 4 × its length) and fails with fewer (default: ${DEFAULT-VALUE})")
    private int minTurns;

    @Option(names = "--baseline-turns", defaultValue = "60", description = "turns of the single session the "
            + "baseline is measured on, after 2 unmeasured ones (default: ${DEFAULT-VALUE})")
    private int baselineTurns;

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
            plan = new CapacityRun.Plan(steps, step, stepRamp, hold, load.drain, warmup,
                    StepVerdict.Criteria.standard().withMinTurns(minTurns), baselineTurns, repeats);
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
        String title = String.format(Locale.ROOT, "steps %s, %s each, %d repeats of %s, open microphone, %s",
                steps, LoadBenchCommand.seconds(step), repeats, LoadBenchCommand.seconds(hold), load.engines());
        out.println("capacity: " + title + " against " + load.url);
        out.println("a step holds with " + plan.criteria().describe());
        out.flush();
        boolean terminal = ProgressReporter.onTerminal();
        ProgressReporter[] reporter = new ProgressReporter[1];
        CapacityRun.Result result = CapacityRun.run(settings, plan, state -> {
            reporter[0] = new ProgressReporter(out, terminal, state);
            return reporter[0];
        }, line -> reporter[0].println(line), s -> reporter[0].println(stepLine(s)));

        out.println();
        out.print(stepTable(result));
        out.println();
        out.println(verdict(result));
        BenchReport report = report(title, result);
        BenchReport.Written files = report.finished().write(load.out);
        out.println("report: " + files.json() + " and " + files.html());
        out.flush();
        return result.decision().capacity() > 0 ? 0 : 1;
    }

    static String stepLine(CapacityRun.StepResult s) {
        StepVerdict.StepFigures f = s.figures();
        return String.format(Locale.ROOT, "%-8s %4d sessions: client e2e p95 %s / p99 %s ms, %d turns, "
                        + "underrun %.0f ms of %.0f s, errors %d, dropped %d, unanswered %d, suite %.2f cores "
                        + "(%.0f %%) %.0f MB, p99 transport %s ms — %s", s.name(), s.sessions(), ms(f.p95ClientE2e()),
                ms(f.p99ClientE2e()), f.turns(), f.underrunMs(), f.replyAudioMs() / 1000, f.errors(), f.dropped(),
                f.turnsWithoutReply(), s.suiteCores(), f.suiteCpuFraction() * 100, s.suiteRssMb(),
                ms(f.p99Transport()), s.verdict().describe());
    }

    private static String verdict(CapacityRun.Result r) {
        CapacityRun.StepResult limit = r.limit();
        StringBuilder line = new StringBuilder();
        if (r.largestGood() == 0) {
            line.append("ramp: no step held");
        } else {
            line.append("ramp: highest step held ").append(r.largestGood()).append(" sessions");
        }
        if (limit != null) {
            line.append("; failed at ").append(limit.sessions()).append(" sessions: ")
                    .append(String.join(", ", limit.verdict().reasons()));
        } else {
            line.append(" (every step held: the limit is above the last step)");
        }
        line.append("\n").append(r.decision().describe());
        return line.toString();
    }

    private static List<String> columns(List<CapacityRun.StepResult> all) {
        List<String> columns = new ArrayList<>(List.of("step", "sessions", "turns", "p95 client e2e ms",
                "p99 client e2e ms", "underrun ms", "underrun %", "errors", "dropped", "unanswered", "suite cores",
                "suite CPU %", "suite RSS MB", "cores/session", "RSS MB/session", "p99 transport ms (diag.)"));
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
                    String.valueOf(f.turns()), ms(f.p95ClientE2e()), ms(f.p99ClientE2e()), fixed(f.underrunMs(), 0),
                    fixed(f.underrunFraction() * 100, 3), String.valueOf(f.errors()), String.valueOf(f.dropped()),
                    String.valueOf(f.turnsWithoutReply()), fixed(s.suiteCores(), 2),
                    fixed(f.suiteCpuFraction() * 100, 0), fixed(s.suiteRssMb(), 0),
                    fixed(s.suiteCores() / s.sessions(), 3), fixed(s.suiteRssMb() / s.sessions(), 1),
                    ms(f.p99Transport())));
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
        all.addAll(r.repeats());
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
                .setting("repeat s", hold.toMillis() / 1000.0)
                .setting("repeats", repeats)
                .setting("warm-up s", warmup.toMillis() / 1000.0)
                .setting("min turns per step", minTurns)
                .setting("baseline turns", baselineTurns)
                .setting("criterion", StepVerdict.Criteria.standard().withMinTurns(minTurns).describe())
                .setting("machine CPUs", Runtime.getRuntime().availableProcessors())
                .setting("caller microphone", "open (silence while the reply plays and while thinking)"));
        report.result("single-session client e2e p95 ms", r.baseline().p95ClientE2e())
                .result("single-session client e2e p99 ms", r.baseline().p99ClientE2e())
                .result("single-session turns", r.baseline().turns())
                .result("largest good ramp step (sessions)", r.largestGood())
                .result("capacity (sessions)", r.decision().capacity())
                .result("decision", r.decision().describe());
        CapacityRun.StepResult limit = r.limit();
        report.result("limit", limit == null ? "every step held"
                : limit.sessions() + " sessions: " + String.join(", ", limit.verdict().reasons()));
        List<Double> x = new ArrayList<>();
        List<Double> transport = new ArrayList<>();
        List<Double> e2e = new ArrayList<>();
        List<Double> e2e95 = new ArrayList<>();
        List<Double> cores = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        List<Double> underruns = new ArrayList<>();
        for (CapacityRun.StepResult s : r.steps()) {
            x.add((double) s.sessions());
            transport.add(nullIfNaN(s.figures().p99Transport()));
            e2e.add(nullIfNaN(s.figures().p99ClientE2e()));
            e2e95.add(nullIfNaN(s.figures().p95ClientE2e()));
            cores.add(s.suiteCores());
            rss.add(s.suiteRssMb());
            underruns.add(s.figures().underrunMs());
        }
        report.curve(new BenchReport.Curve("client E2E by sessions", "sessions", "ms",
                List.of(new BenchReport.Series("p95 client e2e", x, e2e95),
                        new BenchReport.Series("p99 client e2e", x, e2e))));
        report.curve(new BenchReport.Curve("p99 transport by sessions (diagnostic)", "sessions", "ms",
                List.of(new BenchReport.Series("p99 transport", x, transport))));
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
        report.curve(new BenchReport.Curve("reply audio underrun time by sessions", "sessions", "ms",
                List.of(new BenchReport.Series("underrun", x, underruns))));
        List<CapacityRun.StepResult> all = all(r);
        report.table(new BenchReport.Table("Steps", columns(all), rows(all)));
        CapacityRun.StepResult deciding = r.repeats().stream()
                .filter(s -> s.sessions() == r.decision().capacity()).reduce((a, b) -> b).orElse(null);
        if (deciding != null) {
            LoadSummary.addTo(report, r.recorder().window(deciding.fromNanos(), deciding.toNanos()),
                    deciding.usage(), deciding.sessions());
            report.note("latency samples and the Latency table are the last repeat of " + deciding.sessions()
                    + " sessions (the capacity)");
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
