package dev.voxline.loadtest.cli;

import dev.voxline.loadtest.audio.SpeechAudio;
import dev.voxline.loadtest.audio.UnreadableAudioException;
import dev.voxline.loadtest.client.SessionOptions;
import dev.voxline.loadtest.client.TalkRequest;
import dev.voxline.loadtest.client.TurnResult;
import dev.voxline.loadtest.client.TurnRunner;
import dev.voxline.loadtest.overhead.ChainResult;
import dev.voxline.loadtest.overhead.StackProcess;
import dev.voxline.loadtest.report.BenchReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./voxline bench startup}: how long a start takes until "ready", and whether the first turn after "ready"
 * is slower than the ones after it (a model loaded on first use shows up there). Starts its own stack through the
 * voxline script {@code --starts} times, one after the other, with the engines {@code ./voxline up} uses by default
 * (the real ones) unless {@code --extra} says otherwise; in each, one session says the shipped phrase
 * {@code --turns} times, the first turn right after the ready banner.
 */
@Command(name = "startup", mixinStandardHelpOptions = true,
        description = {"Ready time and first-turn latency: starts its own stack --starts times (the first start may "
                + "include a build), one session of --turns spoken turns right after each ready banner.",
                "Prints per start: the wall time from launch to the ready banner, the JVM's own ready time, the "
                        + "first turn's client E2E and server e2e next to the later turns' median and maximum.",
                "Run it through ./voxline bench startup (the script tells it where it is)."})
public final class StartupBenchCommand implements Callable<Integer> {

    private static final Pattern READY_IN = Pattern.compile("Voxline is ready in ([0-9.]+) s");

    /** The server's figures of a turn that show which stage a cold start slows. */
    private static final Map<String, Function<TurnResult, Double>> STAGES = new LinkedHashMap<>();

    static {
        STAGES.put("transcription_delay", t -> t.metrics() == null ? null : t.metrics().transcriptionDelay());
        STAGES.put("llm_ttft", t -> t.metrics() == null ? null : t.metrics().llmTtft());
        STAGES.put("first_clause_delay", t -> t.metrics() == null ? null : t.metrics().firstClauseDelay());
        STAGES.put("tts_ttfb", t -> t.metrics() == null ? null : t.metrics().ttsTtfb());
        STAGES.put("transport", t -> t.metrics() == null ? null : t.metrics().transport());
        STAGES.put("e2e", t -> t.metrics() == null ? null : t.metrics().e2e());
    }

    @Option(names = "--starts", defaultValue = "3", description = "starts, one after the other (default: "
            + "${DEFAULT-VALUE})")
    private int starts;

    @Option(names = "--turns", defaultValue = "8", description = "spoken turns in one session after each ready "
            + "banner, the first one measured too (default: ${DEFAULT-VALUE})")
    private int turns;

    @Option(names = "--extra", split = ",", description = "more ./voxline up options for every start, e.g. "
            + "--extra=--transport=in-process")
    private List<String> extra = new ArrayList<>();

    @CommandLine.Mixin
    private OwnStackOptions stacks;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** One start: its ready times and its turns in order. */
    record Start(int index, double launchToReadySeconds, Double jvmReadySeconds, List<TurnResult> turns,
                 int problems) {

        Double first(Function<TurnResult, Double> figure) {
            return turns.isEmpty() ? null : figure.apply(turns.get(0));
        }

        List<Double> later(Function<TurnResult, Double> figure) {
            List<Double> values = new ArrayList<>();
            for (TurnResult turn : turns.subList(Math.min(1, turns.size()), turns.size())) {
                Double value = figure.apply(turn);
                if (value != null) {
                    values.add(value);
                }
            }
            return values;
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (starts < 1 || turns < 2) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--starts must be ≥ 1 and --turns ≥ 2");
        }
        Path script = OwnStacks.script("bench startup", err);
        if (script == null) {
            return 2;
        }
        if (!OwnStacks.portFree(stacks.port)) {
            err.println("voxline bench startup: port " + stacks.port + " is in use; choose another with --port");
            return 2;
        }
        SpeechAudio phrase;
        try {
            phrase = ClockBenchCommand.shippedPhrase();
        } catch (UnreadableAudioException e) {
            err.println("voxline bench startup: " + e.getMessage());
            return 1;
        }
        TalkRequest spoken = TalkRequest.audio(phrase).withMetricsWait(Duration.ofSeconds(12));
        Path logs = script.getParent().resolve(".voxline").resolve("bench-startup");
        String engines = extra.isEmpty() ? "the default engines of ./voxline up" : String.join(" ", extra);
        BenchReport report = BenchReport.create("startup", "Ready time and first-turn latency: " + starts
                        + " starts, " + turns + " spoken turns after each, " + engines)
                .setting("starts", starts).setting("turns", turns).setting("up options", engines)
                .setting("phrase", ClockBenchCommand.PHRASE_TRANSCRIPT).setting("port", stacks.port);
        String load = OwnStacks.loadAverage();
        if (load != null) {
            report.setting("loadAverageAtStart", load);
        }
        List<Start> measured = new ArrayList<>();
        for (int i = 1; i <= starts; i++) {
            measured.add(start(script, i, logs.resolve("start" + i + ".log"), spoken, out));
        }
        Function<TurnResult, Double> client = TurnResult::clientE2eMs;
        Function<TurnResult, Double> e2e = t -> t.metrics() == null ? null : t.metrics().e2e();
        out.println();
        out.println("start  launch→ready s  JVM ready s   first turn client E2E / e2e ms   later turns client E2E "
                + "p50 / max ms   e2e p50 ms");
        List<List<String>> rows = new ArrayList<>();
        int problems = 0;
        for (Start s : measured) {
            List<Double> laterClient = s.later(client);
            List<Double> laterE2e = s.later(e2e);
            out.printf(Locale.ROOT, "%5d  %13.1f  %11s   %15s / %-13s   %17s / %-8s   %s%n", s.index(),
                    s.launchToReadySeconds(), fmt(s.jvmReadySeconds()), fmt(s.first(client)), fmt(s.first(e2e)),
                    fmt(p50(laterClient)), fmt(max(laterClient)), fmt(p50(laterE2e)));
            rows.add(List.of(Integer.toString(s.index()), fmt(s.launchToReadySeconds()), fmt(s.jvmReadySeconds()),
                    fmt(s.first(client)), fmt(s.first(e2e)), fmt(p50(laterClient)), fmt(max(laterClient)),
                    fmt(p50(laterE2e))));
            report.samples("start " + s.index(), "client e2e", s.turns().stream().map(client)
                    .filter(v -> v != null).toList());
            problems += s.problems();
        }
        out.println();
        out.println("figure (ms)            first turn, per start          later turns p50, per start");
        for (Map.Entry<String, Function<TurnResult, Double>> stage : STAGES.entrySet()) {
            List<String> firsts = new ArrayList<>();
            List<String> laters = new ArrayList<>();
            for (Start s : measured) {
                firsts.add(fmt(s.first(stage.getValue())));
                laters.add(fmt(p50(s.later(stage.getValue()))));
            }
            out.printf(Locale.ROOT, "%-22s %-30s %s%n", stage.getKey(), String.join(" / ", firsts),
                    String.join(" / ", laters));
            report.result("first " + stage.getKey() + " per start", String.join(" / ", firsts))
                    .result("later " + stage.getKey() + " p50 per start", String.join(" / ", laters));
        }
        out.printf("%d problems%n", problems);
        report.table(new BenchReport.Table("ready time and first turn", List.of("start", "launch to ready s",
                        "JVM ready s", "first client E2E ms", "first e2e ms", "later client E2E p50 ms",
                        "later client E2E max ms", "later e2e p50 ms"), rows))
                .result("problems", problems)
                .note("Launch to ready: from starting ./voxline up to its ready banner, as a user waits for it (the "
                        + "script's build check, the JVM start, the broker and every service). JVM ready: the "
                        + "banner's own figure (the JVM's uptime when every service was ready). The first turn is "
                        + "said right after the banner, in a new session.");
        BenchReport.Written written = report.write(stacks.outDir);
        out.printf("report: %s, %s%n", written.json(), written.html());
        out.flush();
        return problems == 0 ? 0 : 1;
    }

    private Start start(Path script, int index, Path log, TalkRequest spoken, PrintWriter out) throws Exception {
        Path dataDir = Files.createTempDirectory("voxline-bench-kafka");
        List<String> args = new ArrayList<>(extra);
        args.add("--data-dir=" + dataDir);
        long launched = System.nanoTime();
        try (StackProcess stack = OwnStacks.start(script, stacks.port, log, out, "start " + index, args)) {
            StackProcess.Ready ready = stack.awaitReady(stacks.readyTimeout);
            double launchToReady = (System.nanoTime() - launched) / 1e9;
            TurnRunner.Outcome outcome = OwnStacks.runTurns(URI.create(ready.talkUrl()), SessionOptions.defaults(),
                    spoken, 0, turns, out);
            out.printf("stopping start %d ...%n", index);
            out.flush();
            return new Start(index, launchToReady, jvmReadySeconds(log), outcome.measured(), outcome.problems());
        } finally {
            OwnStacks.deleteQuietly(dataDir);
        }
    }

    /** The ready banner's own figure, from the stack's log. */
    static Double jvmReadySeconds(Path log) {
        try {
            Matcher m = READY_IN.matcher(Files.readString(log));
            return m.find() ? Double.parseDouble(m.group(1)) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Double p50(List<Double> values) {
        return values.isEmpty() ? null : ChainResult.percentile(values, 0.5);
    }

    private static Double max(List<Double> values) {
        return values.stream().max(Double::compare).orElse(null);
    }

    private static String fmt(Double value) {
        return value == null ? "—" : String.format(Locale.ROOT, "%.1f", value);
    }
}
