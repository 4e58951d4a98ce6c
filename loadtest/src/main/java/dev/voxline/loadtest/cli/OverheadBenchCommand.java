package dev.voxline.loadtest.cli;

import dev.voxline.loadtest.audio.SpeechAudio;
import dev.voxline.loadtest.audio.UnreadableAudioException;
import dev.voxline.loadtest.client.SessionOptions;
import dev.voxline.loadtest.client.TalkException;
import dev.voxline.loadtest.client.TalkRequest;
import dev.voxline.loadtest.client.Timings;
import dev.voxline.loadtest.client.TurnResult;
import dev.voxline.loadtest.client.TurnRunner;
import dev.voxline.loadtest.overhead.ChainResult;
import dev.voxline.loadtest.overhead.OverheadTable;
import dev.voxline.loadtest.overhead.PlainKafkaChain;
import dev.voxline.loadtest.overhead.StackProcess;
import dev.voxline.loadtest.report.BenchReport;
import dev.voxline.loadtest.report.LatencyLine;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./voxline bench overhead}: benchmark 1 of issue 7. Starts its own stacks, one after the other, through the
 * voxline script: (a) the distributed stack (embedded Kafka broker), N spoken turns in one session with zero
 * simulated timings, collecting the server's {@code transport} and the client's E2E, then the plain kafka-clients
 * chain (the floor) on the same broker for as many probes; (b) the in-process stack (no broker), the same turns,
 * client E2E only. Prints transport vs floor, the targets, and E2E distributed − in-process; writes the report.
 */
@Command(name = "overhead", mixinStandardHelpOptions = true,
        description = {"Pipeline overhead (issue 7, benchmark 1): what Kafka costs a turn.",
                "Always starts its own stacks (never uses a running one) through ./voxline up, one after the other "
                        + "on --port: the distributed stack (embedded broker), where it also runs a plain "
                        + "kafka-clients chain of the same 5 hops (the floor), then the in-process stack (no broker: "
                        + "the services share in-memory queues in one JVM; no metrics-service, so client E2E only).",
                "Prints transport p50/p95/p99 vs the floor and their ratio (target ≤ 1.3 at p50 and p99), the "
                        + "transport targets (p50 ≤ 2 ms, p99 ≤ 10 ms), and client E2E distributed vs in-process; "
                        + "writes bench-results/overhead-<time>.json and .html.",
                "Run it through ./voxline bench overhead (the script tells it where it is)."})
public final class OverheadBenchCommand implements Callable<Integer> {

    @Option(names = "--turns", defaultValue = "200", description = "measured turns per stack, and probes of the "
            + "plain chain (default: ${DEFAULT-VALUE})")
    private int turns;

    @Option(names = "--warmup", defaultValue = "20", description = "turns (and probes) first, not counted (default: "
            + "${DEFAULT-VALUE})")
    private int warmup;

    @CommandLine.Mixin
    private OwnStackOptions stacks;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (turns < 1 || warmup < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--turns must be ≥ 1 and --warmup ≥ 0");
        }
        Path script = OwnStacks.script("bench overhead", err);
        if (script == null) {
            return 2;
        }
        if (!OwnStacks.portFree(stacks.port)) {
            err.println("voxline bench overhead: port " + stacks.port + " is in use (another Voxline?); choose another "
                    + "with --port");
            return 2;
        }
        Path root = script.getParent();
        SpeechAudio phrase;
        try {
            phrase = ClockBenchCommand.shippedPhrase();
        } catch (UnreadableAudioException e) {
            err.println("voxline bench overhead: " + e.getMessage());
            return 1;
        }
        BenchReport report = BenchReport.create("overhead", "Pipeline overhead: " + turns + " turns (+" + warmup
                + " warm-up), zero simulated timings, one session")
                .setting("turns", turns).setting("warmup", warmup).setting("timings", "zero")
                .setting("phrase", ClockBenchCommand.PHRASE_TRANSCRIPT).setting("phraseMs", phrase.durationMs())
                .setting("port", stacks.port);
        Path logs = root.resolve(".voxline").resolve("bench-overhead");
        SessionOptions options = SessionOptions.defaults().withSimulation(Timings.ZERO.simulation(
                ClockBenchCommand.PHRASE_TRANSCRIPT, ClockBenchCommand.REPLY));
        TalkRequest spoken = TalkRequest.audio(phrase);
        String load = OwnStacks.loadAverage();
        if (load != null) {
            report.setting("loadAverageAtStart", load);
            double oneMinute = Double.parseDouble(load.split("\\s+")[0]);
            if (oneMinute > 1.0) {
                out.printf(Locale.ROOT, "note: this machine is busy (load average %s) before the benchmark starts; "
                        + "its figures will include that%n", load.split("\\s+")[0]);
            }
        }
        out.printf(Locale.ROOT, "pipeline overhead: %d turns (+%d warm-up) per stack, zero timings, %.1f s phrase; "
                + "stacks on port %d (logs in %s)%n", turns, warmup, phrase.durationMs() / 1000.0, stacks.port, logs);
        out.flush();

        // (a) distributed: the stack over Kafka, then the plain chain on its broker
        List<Double> transport = new ArrayList<>();
        List<Double> e2eDistributed = new ArrayList<>();
        ChainResult chain;
        int problems = 0;
        Path dataDir = Files.createTempDirectory("voxline-bench-kafka");
        try (StackProcess stack = OwnStacks.start(script, stacks.port, logs.resolve("distributed.log"), out,
                "distributed (Kafka)",
                List.of("--data-dir=" + dataDir))) {
            StackProcess.Ready ready = stack.awaitReady(stacks.readyTimeout);
            if (ready.bootstrapServers() == null) {
                err.println("voxline bench overhead: the distributed stack named no Kafka broker; see " + stack.log());
                return 1;
            }
            out.printf("ready: %s, Kafka %s%n", ready.talkUrl(), ready.bootstrapServers());
            report.setting("bootstrapServers", ready.bootstrapServers());
            TurnRunner.Outcome outcome = OwnStacks.runTurns(URI.create(ready.talkUrl()), options,
                    spoken.withMetricsWait(Duration.ofSeconds(12)), warmup, turns, out);
            problems += outcome.problems();
            for (TurnResult turn : outcome.measured()) {
                e2eDistributed.add(turn.clientE2eMs());
                if (turn.metrics() != null) {
                    transport.add(turn.metrics().transport());
                }
            }
            out.printf(Locale.ROOT, "plain kafka-clients chain on %s: %d probes (+%d warm-up), one every 100 ms "
                    + "among 50 audio frames/s ...%n", ready.bootstrapServers(), turns, warmup);
            out.flush();
            quietKafkaLogging();
            chain = new PlainKafkaChain(ready.bootstrapServers()).run(turns, warmup, n -> { });
            out.printf(Locale.ROOT, "chain: %d probes back, %d lost, %d background frames; value sizes %s B%n",
                    chain.probes().size(), chain.lost(), chain.background(), chain.valueSizes());
            out.println("stopping the distributed stack ...");
            out.flush();
        } finally {
            OwnStacks.deleteQuietly(dataDir);
        }

        // (b) in-process: the same services and engines in one JVM, no broker
        List<Double> e2eInProcess = new ArrayList<>();
        try (StackProcess stack = OwnStacks.start(script, stacks.port, logs.resolve("in-process.log"), out,
                "in-process",
                List.of("--transport=in-process"))) {
            StackProcess.Ready ready = stack.awaitReady(stacks.readyTimeout);
            out.printf("ready: %s (in-process transport)%n", ready.talkUrl());
            // no metrics-service in this mode: a turn ends with its audio, not with turn.metrics
            TurnRunner.Outcome outcome = OwnStacks.runTurns(URI.create(ready.talkUrl()), options,
                    spoken.withMetricsWait(Duration.ZERO), warmup, turns, out);
            problems += outcome.problems();
            outcome.measured().forEach(t -> e2eInProcess.add(t.clientE2eMs()));
            out.println("stopping the in-process stack ...");
            out.flush();
        }

        OverheadTable table = new OverheadTable(transport.stream().filter(Objects::nonNull).toList(),
                chain.totals(), e2eDistributed.stream().filter(Objects::nonNull).toList(),
                e2eInProcess.stream().filter(Objects::nonNull).toList());
        out.println();
        out.print(table.render());
        out.println("floor per hop (p50 / p99 ms):");
        for (int i = 0; i < chain.hopNames().size(); i++) {
            out.printf(Locale.ROOT, "  %-12s %6d B  %6.2f / %6.2f%n", chain.hopNames().get(i),
                    chain.valueSizes().get(i), ChainResult.percentile(chain.hop(i), 0.5),
                    ChainResult.percentile(chain.hop(i), 0.99));
        }
        out.printf("%d problems%n", problems);

        report.samples("distributed", "transport", table.transport())
                .samples("floor", "chain total", table.floor())
                .samples("distributed", "client e2e", table.e2eDistributed())
                .samples("in-process", "client e2e", table.e2eInProcess());
        for (int i = 0; i < chain.hopNames().size(); i++) {
            report.samples("floor", chain.hopNames().get(i), chain.hop(i));
        }
        report.table(table.asReportTable())
                .result("transport ÷ floor p50", table.ratio(0.50))
                .result("transport ÷ floor p99", table.ratio(0.99))
                .result("ratio target met", table.ratioMet())
                .result("transport target met", table.transportMet())
                .result("e2e distributed − in-process p50", OverheadTable.p(table.e2eDistributed(), 0.5)
                        - OverheadTable.p(table.e2eInProcess(), 0.5))
                .result("problems", problems)
                .result("chain probes lost", chain.lost())
                .note("transport: the server's turn.metrics transport (sum of the 5 critical-path hop delays, poll "
                        + "time − send time). Floor: a plain kafka-clients chain of the same 5 hops, value sizes "
                        + chain.valueSizes() + " B, KafkaVoiceTransport's client settings, 50 audio frames/s on "
                        + "hop 1, on the same embedded broker after the distributed turns.")
                .note("In-process: ./voxline up --transport=in-process (same services and simulated engines in one "
                        + "JVM, in-memory queues); metrics-service does not run there, so only the client's E2E.");
        BenchReport.Written written = report.write(stacks.outDir);
        out.printf("report: %s, %s%n", written.json(), written.html());
        out.flush();
        boolean complete = table.transport().size() == turns && table.e2eInProcess().size() == turns
                && chain.probes().size() == turns;
        return problems == 0 && complete ? 0 : 1;
    }

    /** The client jar has no logging backend: say so to SLF4J (kafka-clients logs through it) instead of a warning. */
    private static void quietKafkaLogging() {
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.internal.verbosity", "WARN");
            System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
        }
    }

}
