package dev.voxline.loadtest.cli;

import dev.voxline.loadtest.audio.SpeechAudio;
import dev.voxline.loadtest.audio.UnreadableAudioException;
import dev.voxline.loadtest.client.SessionOptions;
import dev.voxline.loadtest.client.TalkRequest;
import dev.voxline.loadtest.client.Timings;
import dev.voxline.loadtest.client.TurnResult;
import dev.voxline.loadtest.client.TurnRunner;
import dev.voxline.loadtest.otlp.OtlpTraceReceiver;
import dev.voxline.loadtest.overhead.ChainResult;
import dev.voxline.loadtest.overhead.StackProcess;
import dev.voxline.loadtest.report.BenchReport;
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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./voxline bench tracing}: what tracing costs a turn. Starts its own stacks through the voxline script, one
 * after the other, alternating in rounds so drift of the machine falls on all: tracing off ({@code --tracing=off}:
 * no spans, no trace context on records), the default (spans made, trace context on records, nothing exported) and
 * tracing exported, every span over OTLP/HTTP to a receiver in this process ({@code --otlp=}). The same spoken
 * turns in one session each, with zero simulated timings; the server's
 * {@code transport} and {@code e2e} from {@code turn.metrics}, and the client's E2E.
 */
@Command(name = "tracing", mixinStandardHelpOptions = true,
        description = {"The cost of tracing on a turn: transport and e2e with tracing off vs on (exporting).",
                "Always starts its own stacks through ./voxline up on --port, alternating --rounds times: "
                        + "--tracing=off, the default (spans made, not exported), then --otlp=<a local OTLP receiver "
                        + "in this process>.",
                "Prints transport and e2e p50/p95/p99 per condition and the difference; writes "
                        + "bench-results/tracing-<time>.json and .html.",
                "Run it through ./voxline bench tracing (the script tells it where it is)."})
public final class TracingBenchCommand implements Callable<Integer> {

    static final String OFF = "tracing off";
    static final String LOCAL = "tracing on, not exported";
    static final String ON = "tracing on (OTLP export)";

    @Option(names = "--turns", defaultValue = "100", description = "measured turns per condition, split over the "
            + "rounds (default: ${DEFAULT-VALUE})")
    private int turns;

    @Option(names = "--warmup", defaultValue = "10", description = "turns first in every stack, not counted "
            + "(default: ${DEFAULT-VALUE})")
    private int warmup;

    @Option(names = "--rounds", defaultValue = "2", description = "rounds of the three stacks (off, default, "
            + "exported) (default: ${DEFAULT-VALUE})")
    private int rounds;

    @CommandLine.Mixin
    private OwnStackOptions stacks;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (turns < rounds || rounds < 1 || warmup < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--rounds must be ≥ 1, --turns ≥ --rounds and --warmup ≥ 0");
        }
        Path script = OwnStacks.script("bench tracing", err);
        if (script == null) {
            return 2;
        }
        if (!OwnStacks.portFree(stacks.port)) {
            err.println("voxline bench tracing: port " + stacks.port + " is in use; choose another with --port");
            return 2;
        }
        SpeechAudio phrase;
        try {
            phrase = ClockBenchCommand.shippedPhrase();
        } catch (UnreadableAudioException e) {
            err.println("voxline bench tracing: " + e.getMessage());
            return 1;
        }
        SessionOptions options = SessionOptions.defaults().withSimulation(Timings.ZERO.simulation(
                ClockBenchCommand.PHRASE_TRANSCRIPT, ClockBenchCommand.REPLY));
        TalkRequest spoken = TalkRequest.audio(phrase).withMetricsWait(Duration.ofSeconds(12));
        int perRound = turns / rounds;
        Path logs = script.getParent().resolve(".voxline").resolve("bench-tracing");
        BenchReport report = BenchReport.create("tracing", "The cost of tracing: " + perRound * rounds
                        + " turns per condition in " + rounds + " rounds, zero simulated timings, one session")
                .setting("turns", perRound * rounds).setting("rounds", rounds).setting("warmup", warmup)
                .setting("timings", "zero").setting("phrase", ClockBenchCommand.PHRASE_TRANSCRIPT)
                .setting("port", stacks.port);
        String load = OwnStacks.loadAverage();
        if (load != null) {
            report.setting("loadAverageAtStart", load);
        }
        Map<String, Samples> samples = new LinkedHashMap<>();
        samples.put(OFF, new Samples());
        samples.put(LOCAL, new Samples());
        samples.put(ON, new Samples());
        int problems = 0;
        try (OtlpTraceReceiver receiver = new OtlpTraceReceiver()) {
            String otlp = "http://127.0.0.1:" + receiver.port();
            out.printf(Locale.ROOT, "tracing cost: %d rounds of (off, default, exported), %d turns (+%d warm-up) "
                    + "per stack; OTLP "
                    + "receiver %s; logs in %s%n", rounds, perRound, warmup, otlp, logs);
            for (int round = 1; round <= rounds; round++) {
                for (String condition : samples.keySet()) {
                    List<String> args = condition.equals(OFF) ? List.of("--tracing=off")
                            : condition.equals(LOCAL) ? List.of() : List.of("--otlp=" + otlp);
                    String file = condition.equals(OFF) ? "off" : condition.equals(LOCAL) ? "local" : "export";
                    problems += run(script, logs.resolve("round" + round + "-" + file + ".log"),
                            condition + ", round " + round, args, options, spoken, perRound, samples.get(condition),
                            out);
                }
            }
            out.printf(Locale.ROOT, "OTLP receiver: %d export requests, %d spans, %d traces, %d rejected%n",
                    receiver.requests(), receiver.spans().size(),
                    receiver.spans().stream().map(OtlpTraceReceiver.ReceivedSpan::traceId).distinct().count(),
                    receiver.rejected());
            report.result("spans exported", receiver.spans().size()).result("export requests", receiver.requests());
            if (receiver.spans().isEmpty()) {
                err.println("voxline bench tracing: the traced stacks exported no span");
                problems++;
            }
        }
        List<List<String>> rows = new ArrayList<>();
        out.println();
        out.println("condition                    n   transport p50 / p95 / p99 ms     e2e p50 / p99 ms   "
                + "client e2e p50");
        for (Map.Entry<String, Samples> entry : samples.entrySet()) {
            Samples s = entry.getValue();
            out.printf(Locale.ROOT, "%-26s %4d   %6.2f / %6.2f / %6.2f        %6.1f / %6.1f      %6.1f%n",
                    entry.getKey(), s.transport.size(), p(s.transport, 0.5), p(s.transport, 0.95),
                    p(s.transport, 0.99), p(s.e2e, 0.5), p(s.e2e, 0.99), p(s.clientE2e, 0.5));
            rows.add(List.of(entry.getKey(), Integer.toString(s.transport.size()), fmt(p(s.transport, 0.5)),
                    fmt(p(s.transport, 0.99)), fmt(p(s.e2e, 0.5)), fmt(p(s.e2e, 0.99))));
            report.samples(entry.getKey(), "transport", s.transport).samples(entry.getKey(), "e2e", s.e2e)
                    .samples(entry.getKey(), "client e2e", s.clientE2e);
        }
        Samples off = samples.get(OFF);
        Samples local = samples.get(LOCAL);
        Samples on = samples.get(ON);
        out.printf(Locale.ROOT, "exported − off: transport p50 %+.2f ms, p99 %+.2f ms; e2e p50 %+.1f ms%n",
                p(on.transport, 0.5) - p(off.transport, 0.5), p(on.transport, 0.99) - p(off.transport, 0.99),
                p(on.e2e, 0.5) - p(off.e2e, 0.5));
        out.printf(Locale.ROOT, "not exported − off: transport p50 %+.2f ms, p99 %+.2f ms; e2e p50 %+.1f ms%n",
                p(local.transport, 0.5) - p(off.transport, 0.5), p(local.transport, 0.99) - p(off.transport, 0.99),
                p(local.e2e, 0.5) - p(off.e2e, 0.5));
        out.printf("%d problems%n", problems);
        report.table(new BenchReport.Table("transport and e2e (ms)", List.of("condition", "n", "transport p50",
                        "transport p99", "e2e p50", "e2e p99"), rows))
                .result("transport p50 on − off", p(on.transport, 0.5) - p(off.transport, 0.5))
                .result("transport p99 on − off", p(on.transport, 0.99) - p(off.transport, 0.99))
                .result("transport p50 not exported − off", p(local.transport, 0.5) - p(off.transport, 0.5))
                .result("transport p99 not exported − off", p(local.transport, 0.99) - p(off.transport, 0.99))
                .result("problems", problems)
                .note("Off: ./voxline up --tracing=off (no spans, no traceparent on records). Not exported: "
                        + "./voxline up (the default: every span made, traceparent on records, nothing exported). "
                        + "Exported: ./voxline up --otlp=<receiver> (every span of every service exported over "
                        + "OTLP/HTTP protobuf every "
                        + "5 s, batched, to a receiver in the benchmark's JVM on the same machine). Conditions "
                        + "alternate in rounds; built-in simulated engines with zero timings.");
        BenchReport.Written written = report.write(stacks.outDir);
        out.printf("report: %s, %s%n", written.json(), written.html());
        out.flush();
        boolean complete = samples.values().stream().allMatch(s -> s.transport.size() == perRound * rounds);
        return problems == 0 && complete ? 0 : 1;
    }

    private int run(Path script, Path log, String what, List<String> extra, SessionOptions options,
                    TalkRequest spoken, int count, Samples into, PrintWriter out) throws Exception {
        Path dataDir = Files.createTempDirectory("voxline-bench-kafka");
        List<String> args = new ArrayList<>(extra);
        args.add("--data-dir=" + dataDir);
        try (StackProcess stack = OwnStacks.start(script, stacks.port, log, out, what, args)) {
            StackProcess.Ready ready = stack.awaitReady(stacks.readyTimeout);
            TurnRunner.Outcome outcome = OwnStacks.runTurns(URI.create(ready.talkUrl()), options, spoken, warmup,
                    count, out);
            for (TurnResult turn : outcome.measured()) {
                if (turn.metrics() != null && turn.metrics().transport() != null) {
                    into.transport.add(turn.metrics().transport());
                }
                if (turn.metrics() != null && turn.metrics().e2e() != null) {
                    into.e2e.add(turn.metrics().e2e());
                }
                if (turn.clientE2eMs() != null) {
                    into.clientE2e.add(turn.clientE2eMs());
                }
            }
            out.printf("stopping the %s stack ...%n", what);
            out.flush();
            return outcome.problems();
        } finally {
            OwnStacks.deleteQuietly(dataDir);
        }
    }

    private static double p(List<Double> values, double p) {
        return ChainResult.percentile(values, p);
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static final class Samples {
        final List<Double> transport = new ArrayList<>();
        final List<Double> e2e = new ArrayList<>();
        final List<Double> clientE2e = new ArrayList<>();
    }
}
