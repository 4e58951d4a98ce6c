package dev.voxline.loadtest.cli;

import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.loadtest.audio.SpeechAudio;
import dev.voxline.loadtest.audio.UnreadableAudioException;
import dev.voxline.loadtest.client.SessionOptions;
import dev.voxline.loadtest.client.TalkRequest;
import dev.voxline.loadtest.client.Timings;
import dev.voxline.loadtest.client.TurnResult;
import dev.voxline.loadtest.overhead.ChainOptions;
import dev.voxline.loadtest.overhead.ChainProcess;
import dev.voxline.loadtest.overhead.ChainResult;
import dev.voxline.loadtest.overhead.CpuWindow;
import dev.voxline.loadtest.overhead.HopTable;
import dev.voxline.loadtest.overhead.InterleavedRun;
import dev.voxline.loadtest.overhead.OverheadTable;
import dev.voxline.loadtest.overhead.StackJvm;
import dev.voxline.loadtest.overhead.StackProcess;
import dev.voxline.loadtest.report.BenchReport;
import dev.voxline.loadtest.report.Bootstrap;
import dev.voxline.loadtest.report.LatencyLine;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./voxline bench overhead}: what Kafka costs a turn. Starts its own stacks, one after the other, through the
 * voxline script: (a) the distributed stack (embedded Kafka broker) and, next to it, the plain kafka-clients chain
 * (the floor) in a JVM launched with the stack's own JVM options and class path; one session of N spoken turns with
 * zero simulated timings and a chain probe interleaved with every turn (so both are warm, see the same machine and
 * each other's traffic); (b) the in-process stack (no broker), the same session, client E2E only. Prints every
 * percentile with its bootstrap interval, the targets, each hop of the pipeline beside the same hop of the floor,
 * the JVM options, load and CPU. {@code --no-in-process} leaves out (b), for runs that change a floor setting.
 */
@Command(name = "overhead", mixinStandardHelpOptions = true,
        description = {"Pipeline overhead: what Kafka costs a turn.",
                "Always starts its own stacks (never uses a running one) through ./voxline up, one after the other "
                        + "on --port: the distributed stack (embedded broker), and beside it a plain kafka-clients "
                        + "chain of the same 5 hops (the floor) in a JVM started with the stack's own JVM options "
                        + "and class path; then the in-process stack (no broker: the services share in-memory "
                        + "queues in one JVM; no metrics-service, so client E2E only).",
                "On the distributed stack one session says the phrase --turns times (after --warmup turns not "
                        + "counted) and a chain probe goes between every two turns, while the session's audio "
                        + "streams (each turn starts with 300 ms of silence, the microphone stays open), and the "
                        + "chain carries a caller's 50 audio frames/s throughout.",
                "Prints p50/p95/p99 with 95 %% bootstrap intervals of transport, the floor, transport ÷ floor "
                        + "(target ≤ 1.2 at p50 and p99: met or not only when the whole interval says so), client "
                        + "E2E distributed and in-process and their difference (target ≤ 5 ms at p50, ≤ 15 ms at "
                        + "p99); each hop of the pipeline (its turn reports' transport_hops) beside the same hop of "
                        + "the floor; the JVM options, load average and CPU; writes "
                        + "bench-results/overhead-<time>.json and .html.",
                "To attack the floor, change one setting per run and compare the per-hop tables: --linger-ms "
                        + "(producers of both), --fetch-max-wait-ms and --partitions (the chain's consumers), "
                        + "--broker-data-dir /dev/shm (the broker's log on tmpfs); --no-in-process skips the "
                        + "in-process stack.",
                "Run it through ./voxline bench overhead (the script tells it where it is)."})
public final class OverheadBenchCommand implements Callable<Integer> {

    /** Each turn's audio starts with this much silence; the chain's probe goes during it. */
    static final Duration LEADING_SILENCE = Duration.ofMillis(300);

    @Option(names = "--turns", defaultValue = "200", description = "measured turns per stack, and probes of the "
            + "plain chain (default: ${DEFAULT-VALUE})")
    private int turns;

    @Option(names = "--warmup", defaultValue = "20", description = "turns (and probes) first, not counted (default: "
            + "${DEFAULT-VALUE})")
    private int warmup;

    @Option(names = "--linger-ms", description = "producer linger.ms of the pipeline (voxline.kafka.linger-ms) and "
            + "the chain (default: the pipeline's, 0)")
    private Integer lingerMs;

    @Option(names = "--fetch-max-wait-ms", description = "the chain's consumers' fetch.max.wait.ms (default: the "
            + "client's 500, as the pipeline)")
    private Integer fetchMaxWaitMs;

    @Option(names = "--partitions", defaultValue = "12", description = "partitions of each chain topic; a chain "
            + "stage consumer holds twice this (its topic and the control topic), as the pipeline's stages do with "
            + "12 (default: ${DEFAULT-VALUE})")
    private int partitions;

    @Option(names = "--broker-data-dir", paramLabel = "DIR", description = "the distributed stack's broker keeps "
            + "its log in a new directory under DIR, e.g. /dev/shm (tmpfs) (default: the system's temporary "
            + "directory)")
    private Path brokerDataDir;

    @Option(names = "--in-process", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "also run the in-process stack for the E2E difference (default: ${DEFAULT-VALUE}); "
                    + "--no-in-process for runs that attack the floor")
    private boolean inProcessRun;

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
        ChainOptions chainOptions;
        try {
            chainOptions = new ChainOptions(lingerMs == null ? 0 : lingerMs, fetchMaxWaitMs, partitions);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
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
        Map<String, String> environment = stackEnvironment();
        BenchReport report = BenchReport.create("overhead", "Pipeline overhead: " + turns + " turns (+" + warmup
                + " warm-up), zero simulated timings, one session, chain probes interleaved")
                .setting("turns", turns).setting("warmup", warmup).setting("timings", "zero")
                .setting("phrase", ClockBenchCommand.PHRASE_TRANSCRIPT).setting("phraseMs", phrase.durationMs())
                .setting("leadingSilenceMs", LEADING_SILENCE.toMillis())
                .setting("port", stacks.port).setting("chain", chainOptions.describe())
                .setting("stackEnvironment", environment.toString());
        Path logs = root.resolve(".voxline").resolve("bench-overhead");
        SessionOptions options = SessionOptions.defaults().withSimulation(Timings.ZERO.simulation(
                ClockBenchCommand.PHRASE_TRANSCRIPT, ClockBenchCommand.REPLY));
        TalkRequest spoken = TalkRequest.audio(withLeadingSilence(phrase, LEADING_SILENCE))
                .withReplyTimeout(Duration.ofSeconds(30));
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
                + "chain: %s; stacks on port %d (logs in %s)%n", turns, warmup, phrase.durationMs() / 1000.0,
                chainOptions.describe(), stacks.port, logs);
        out.flush();

        // (a) distributed: the stack over Kafka with the plain chain beside it, probes between the turns
        InterleavedRun.Outcome distributed;
        List<String> hopNames = List.of("gateway→vad", "vad→stt", "stt→llm", "llm→tts", "tts→gateway");
        List<Integer> valueSizes;
        long background;
        Path dataDir = brokerDataDir != null
                ? Files.createTempDirectory(Files.createDirectories(brokerDataDir), "voxline-bench-kafka")
                : Files.createTempDirectory("voxline-bench-kafka");
        report.setting("brokerDataDir", dataDir.toString());
        try (StackProcess stack = StackProcess.start(script, stackArgs("--data-dir=" + dataDir), root,
                logs.resolve("distributed.log"), environment)) {
            out.printf("started the distributed (Kafka) stack: %s up %s%n", script,
                    String.join(" ", stackArgs("--data-dir=" + dataDir)));
            StackProcess.Ready ready = stack.awaitReady(stacks.readyTimeout);
            if (ready.bootstrapServers() == null) {
                err.println("voxline bench overhead: the distributed stack named no Kafka broker; see " + stack.log());
                return 1;
            }
            StackJvm jvm = stack.jvm();
            if (jvm == null) {
                err.println("voxline bench overhead: could not read the stack's JVM command line (Linux only)");
                return 1;
            }
            out.printf("ready: %s, Kafka %s%nstack JVM options: %s%n", ready.talkUrl(), ready.bootstrapServers(),
                    String.join(" ", jvm.options()));
            report.setting("bootstrapServers", ready.bootstrapServers())
                    .setting("stackJvmOptions", String.join(" ", jvm.options()))
                    .setting("chainJvmOptions", String.join(" ", jvm.chainOptions()));
            List<String> command = ChainProcess.command(jvm, System.getProperty("java.class.path"),
                    ready.bootstrapServers(), chainOptions);
            try (ChainProcess chain = ChainProcess.start(command, logs.resolve("chain.log"), Duration.ofSeconds(90))) {
                out.printf("chain JVM (pid %d) ready, value sizes %s B, JVM options %s%n%d turns (+%d warm-up), a "
                        + "probe between every two ...%n", chain.pid(), chain.valueSizes(),
                        String.join(" ", jvm.chainOptions()), turns, warmup);
                out.flush();
                valueSizes = chain.valueSizes();
                Map<String, Long> pids = processes(stack);
                pids.put("chain", chain.pid());
                distributed = InterleavedRun.run(URI.create(ready.talkUrl()), options,
                        spoken.withMetricsWait(Duration.ofSeconds(12)), chain, warmup, turns, pids, line(out),
                        LatencyLine::format);
                background = chain.stop();
            }
            out.println("stopping the distributed stack ...");
            out.flush();
        } finally {
            OwnStacks.deleteQuietly(dataDir);
        }

        // (b) in-process: the same services and engines in one JVM, no broker, the same session
        InterleavedRun.Outcome inProcess = inProcessRun
                ? inProcess(script, root, logs, environment, options, spoken, out) : null;

        ChainResult chain = new ChainResult(hopNames, distributed.probes(), distributed.lost(), background,
                valueSizes);
        List<VoiceEvent.TurnMetrics> reports = distributed.turns().stream().map(TurnResult::metrics)
                .filter(Objects::nonNull).toList();
        List<Double> transport = reports.stream().map(VoiceEvent.TurnMetrics::transport).filter(Objects::nonNull)
                .toList();
        OverheadTable table = new OverheadTable(transport, chain.totals(), e2e(distributed),
                inProcess == null ? List.of() : e2e(inProcess));
        HopTable hops = HopTable.of(chain, reports);
        int problems = distributed.problems() + (inProcess == null ? 0 : inProcess.problems());
        out.println();
        out.print(table.render());
        out.print(hops.render());
        out.println(describe("distributed", distributed));
        if (inProcess != null) {
            out.println(describe("in-process", inProcess));
        }
        out.printf("chain: %d probes back, %d lost, %d background frames; %d problems%n", chain.probes().size(),
                chain.lost(), chain.background(), problems);

        report.samples("distributed", "transport", table.transport())
                .samples("floor", "chain total", table.floor())
                .samples("distributed", "client e2e", table.e2eDistributed())
                .samples("in-process", "client e2e", table.e2eInProcess());
        for (int i = 0; i < hopNames.size(); i++) {
            report.samples("floor", hopNames.get(i), chain.hop(i))
                    .samples("distributed", hopNames.get(i), hops.pipeline().get(i));
        }
        report.table(table.asReportTable())
                .table(hops.asReportTable())
                .result("transport ÷ floor p50", table.ratio(0.50).format(3))
                .result("transport ÷ floor p99", table.ratio(0.99).format(3))
                .result("ratio target", table.ratioVerdict().text())
                .result("difference target", table.differenceVerdictText())
                .result("e2e distributed − in-process p50", table.e2eDifference(0.50).format(2))
                .result("e2e distributed − in-process p99", table.e2eDifference(0.99).format(2))
                .result("problems", problems)
                .result("chain probes lost", chain.lost());
        usage(report, "distributed", distributed);
        if (inProcess != null) {
            usage(report, "in-process", inProcess);
        }
        report.note("transport: the server's turn.metrics transport (sum of the 5 critical-path hop delays, poll "
                        + "time − send time). Floor: a plain kafka-clients chain of the same 5 hops, value sizes "
                        + chain.valueSizes() + " B, KafkaVoiceTransport's own client settings ("
                        + chainOptions.describe() + "), in a JVM with the stack's JVM options and class path, a "
                        + "caller's 50 audio frames/s on hop 1, one probe between every two pipeline turns on the same "
                        + "broker.")
                .note("Intervals: percentile bootstrap, " + Bootstrap.DEFAULT_RESAMPLES + " resamples, seed "
                        + Bootstrap.DEFAULT_SEED + "; ratio and difference resample each sample on its own.")
                .note("In-process: ./voxline up --transport=in-process (same services and simulated engines in one "
                        + "JVM, in-memory queues); metrics-service does not run there, so only the client's E2E.");
        BenchReport.Written written = report.write(stacks.outDir);
        out.printf("report: %s, %s%n", written.json(), written.html());
        out.flush();
        boolean complete = table.transport().size() >= turns && chain.probes().size() == turns
                && (inProcess == null || table.e2eInProcess().size() >= turns);
        return problems == 0 && complete ? 0 : 1;
    }

    /** The in-process stack: the same services and engines in one JVM, no broker, the same session. */
    private InterleavedRun.Outcome inProcess(Path script, Path root, Path logs, Map<String, String> environment,
                                             SessionOptions options, TalkRequest spoken, PrintWriter out)
            throws IOException, InterruptedException {
        try (StackProcess stack = StackProcess.start(script, stackArgs("--transport=in-process"), root,
                logs.resolve("in-process.log"), environment)) {
            out.printf("started the in-process stack: %s up %s%n", script,
                    String.join(" ", stackArgs("--transport=in-process")));
            StackProcess.Ready ready = stack.awaitReady(stacks.readyTimeout);
            out.printf("ready: %s (in-process transport)%n", ready.talkUrl());
            out.flush();
            // no metrics-service in this mode: a turn ends with its audio, not with turn.metrics
            InterleavedRun.Outcome outcome = InterleavedRun.run(URI.create(ready.talkUrl()), options,
                    spoken.withMetricsWait(Duration.ZERO), null, warmup, turns, processes(stack), line(out),
                    LatencyLine::format);
            out.println("stopping the in-process stack ...");
            out.flush();
            return outcome;
        }
    }

    private List<String> stackArgs(String extra) {
        return List.of("--allow-test-settings", "--port=" + stacks.port, "--free-ports", extra);
    }

    /** VOXLINE_JAVA_OPTS of this environment, plus the producer linger when --linger-ms is given. */
    private Map<String, String> stackEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        if (lingerMs != null) {
            String opts = Objects.requireNonNullElse(System.getenv("VOXLINE_JAVA_OPTS"), "");
            environment.put("VOXLINE_JAVA_OPTS", (opts + " -Dvoxline.kafka.linger-ms=" + lingerMs).trim());
        }
        return environment;
    }

    /** The stack's JVMs by name: the services' and the broker's (its java children). */
    private static Map<String, Long> processes(StackProcess stack) {
        Map<String, Long> pids = new LinkedHashMap<>();
        List<Long> java = stack.javaPids();
        pids.put("services", java.get(0));
        for (int i = 1; i < java.size(); i++) {
            pids.put(java.size() == 2 ? "broker" : "child " + i, java.get(i));
        }
        pids.put("client", ProcessHandle.current().pid());
        return pids;
    }

    private static java.util.function.Consumer<String> line(PrintWriter out) {
        return text -> {
            out.println(text);
            out.flush();
        };
    }

    private static List<Double> e2e(InterleavedRun.Outcome outcome) {
        return outcome.turns().stream().map(TurnResult::clientE2eMs).filter(Objects::nonNull).toList();
    }

    static String describe(String stack, InterleavedRun.Outcome outcome) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s: load average %.2f → %.2f (max %.2f)",
                stack, outcome.load()[0], outcome.load()[1], outcome.load()[2]));
        CpuWindow.Usage cpu = outcome.cpu();
        if (cpu != null) {
            line.append(String.format(Locale.ROOT, "; machine CPU %.0f %% of %d over %.0f s;", cpu.busy() * 100,
                    cpu.cpus(), cpu.seconds()));
            cpu.cores().forEach((name, cores) -> line.append(String.format(Locale.ROOT, " %s %.2f", name, cores)));
            line.append(" cores");
        }
        return line.toString();
    }

    private static void usage(BenchReport report, String stack, InterleavedRun.Outcome outcome) {
        report.result(stack + " load average (start, end, max)", String.format(Locale.ROOT, "%.2f, %.2f, %.2f",
                outcome.load()[0], outcome.load()[1], outcome.load()[2]));
        CpuWindow.Usage cpu = outcome.cpu();
        if (cpu != null) {
            report.result(stack + " machine CPU busy", cpu.busy());
            cpu.cores().forEach((name, cores) -> report.result(stack + " " + name + " cores", cores));
        }
    }

    private static SpeechAudio withLeadingSilence(SpeechAudio phrase, Duration silence) {
        int bytes = (int) (silence.toMillis() * SpeechAudio.SAMPLE_RATE / 1000) * 2;
        byte[] pcm = new byte[bytes + phrase.pcm().length];
        System.arraycopy(phrase.pcm(), 0, pcm, bytes, phrase.pcm().length);
        return new SpeechAudio(pcm, phrase.source());
    }
}
