package dev.voxline.loadtest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.loadtest.audio.PhraseSet;
import dev.voxline.loadtest.audio.SpeechAudio;
import dev.voxline.loadtest.client.SessionOptions;
import dev.voxline.loadtest.client.TalkResult;
import dev.voxline.loadtest.client.Timings;
import dev.voxline.loadtest.report.BenchReport;
import dev.voxline.loadtest.report.Utterance;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LatencyBenchCommandTests {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void optionsOutOfRangeAreRejectedBeforeAnythingIsSaid() {
        assertThat(LatencyBenchCommand.validate(1, 1, 2, 0)).isNull();
        assertThat(LatencyBenchCommand.validate(5, 3, 0, 3)).isNull();
        assertThat(LatencyBenchCommand.validate(0, 1, 2, 0)).contains("--sessions");
        assertThat(LatencyBenchCommand.validate(201, 1, 2, 0)).contains("--sessions");
        assertThat(LatencyBenchCommand.validate(1, 0, 2, 0)).contains("--rounds");
        assertThat(LatencyBenchCommand.validate(1, 1, -1, 0)).contains("--warmup");
        assertThat(LatencyBenchCommand.validate(1, 1, 2, -1)).contains("--limit");
        assertThat(VadProfileOption.problem("fast")).isEqualTo("--profile must be one of low-latency, "
                + "high-accuracy, was 'fast'");
        assertThat(VadProfileOption.problem("high-accuracy")).isNull();
    }

    @Test
    void badCommandLinesExitWith2AndSayWhy() {
        assertThat(execute("bench", "latency", "--sessions", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--sessions must be between 1 and 200, was 0");
        assertThat(execute("bench", "latency", "--profile", "fast")).isEqualTo(2);
        assertThat(err.toString()).contains("--profile must be one of");
        assertThat(execute("bench", "latency", "--engines", "cloud")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown engines 'cloud' (real, simulated or default)");
        assertThat(execute("bench", "latency", "--rounds", "x")).isEqualTo(2);
        assertThat(execute("bench", "latency", "--sets", "synthetic,studio")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown spoken set 'studio' (synthetic or human)");
        assertThat(execute("bench", "conversation", "--profile", "fast")).isEqualTo(2);
        assertThat(err.toString()).contains("--profile must be one of low-latency, high-accuracy, was 'fast'");
    }

    @Test
    void noGatewayFailsWithTheActionableMessageAndStillWritesTheReport() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path phrases = dir.resolve("phrases");
        Files.createDirectories(phrases);
        dev.voxline.loadtest.audio.WavWriter.writePcm16Mono(phrases.resolve("a.wav"), new byte[32_000], 16_000);
        Files.writeString(phrases.resolve("phrases.tsv"), "a.wav\tHello there.\n");
        Path reports = dir.resolve("reports");

        int code = execute("bench", "latency", "--url", "ws://127.0.0.1:" + port + "/v1/talk", "--phrases",
                phrases.toString(), "--warmup", "0", "--out", reports.toString());

        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).contains("problem: no gateway at ws://127.0.0.1:" + port);
        assertThat(err.toString()).contains("session 1: no gateway at");
        try (Stream<Path> files = Files.list(reports)) {
            Path json = files.filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow();
            BenchReport.Document doc = BenchReport.readJson(json);
            assertThat(doc.benchmark()).isEqualTo("latency");
            assertThat(doc.settings()).containsEntry("engines", "real").containsEntry("vad profile", "low-latency")
                    .containsEntry("spoken sets", List.of("phrases"));
        }
    }

    @Test
    void eachCallerSaysTheWarmUpFromTheTopOfTheListThenEveryPhrasePerRound() {
        List<LatencyBenchCommand.SpokenSet> sets = List.of(named("synthetic", "a.wav", "b.wav", "c.wav"));

        List<LatencyBenchCommand.Planned> plan = LatencyBenchCommand.plan(sets, 4, 2);

        assertThat(plan).hasSize(4 + 2 * 3);
        assertThat(plan.subList(0, 4)).allMatch(LatencyBenchCommand.Planned::warmup);
        assertThat(plan).extracting(p -> p.phrase().name()).containsExactly(
                "a.wav", "b.wav", "c.wav", "a.wav", // warm-up wraps around a short list
                "a.wav", "b.wav", "c.wav", "a.wav", "b.wav", "c.wav");
        assertThat(plan).extracting(LatencyBenchCommand.Planned::round).containsExactly(0, 0, 0, 0, 1, 1, 1, 2, 2, 2);
        assertThat(plan.get(9).position()).isEqualTo(3);
        assertThat(LatencyBenchCommand.plan(sets, 0, 1)).noneMatch(LatencyBenchCommand.Planned::warmup);
    }

    @Test
    void everyRoundSaysTheSetsOneAfterTheOtherTheWarmUpFromTheFirst() {
        List<LatencyBenchCommand.SpokenSet> sets = List.of(named("synthetic", "a.wav", "b.wav"),
                named("human", "x.wav"));

        List<LatencyBenchCommand.Planned> plan = LatencyBenchCommand.plan(sets, 1, 2);

        assertThat(plan).extracting(p -> p.round() + ":" + p.set() + ":" + p.position() + ":" + p.phrase().name())
                .containsExactly("0:synthetic:1:a.wav", "1:synthetic:1:a.wav", "1:synthetic:2:b.wav",
                        "1:human:1:x.wav", "2:synthetic:1:a.wav", "2:synthetic:2:b.wav", "2:human:1:x.wav");
        assertThat(LatencyBenchCommand.describe(sets)).isEqualTo("2 synthetic + 1 human phrases");
    }

    @Test
    void theShippedSetsAreSaidInTheOrderAskedOnceEachCutToTheLimit() throws Exception {
        List<LatencyBenchCommand.SpokenSet> sets = LatencyBenchCommand.spokenSets(null, List.of(
                PhraseSet.Shipped.HUMAN, PhraseSet.Shipped.SYNTHETIC, PhraseSet.Shipped.HUMAN), 3);

        assertThat(sets).extracting(LatencyBenchCommand.SpokenSet::name).containsExactly("human", "synthetic");
        assertThat(sets).allSatisfy(s -> assertThat(s.phrases().size()).isEqualTo(3));
        assertThat(sets.get(0).phrases().source()).isEqualTo("classpath:/audio/human/ (first 3 of 10)");
        assertThat(LatencyBenchCommand.spokenSets(null, List.of(PhraseSet.Shipped.SYNTHETIC), 0).get(0).phrases()
                .size()).isEqualTo(PhraseSet.shipped().size());
    }

    @Test
    void setsNamedOnTheCommandLineReplaceTheDefaultBoth() {
        assertThat(parsedSets()).containsExactly(PhraseSet.Shipped.SYNTHETIC, PhraseSet.Shipped.HUMAN);
        assertThat(parsedSets("--sets", "human")).containsExactly(PhraseSet.Shipped.HUMAN);
        assertThat(parsedSets("--sets", "human,synthetic"))
                .containsExactly(PhraseSet.Shipped.HUMAN, PhraseSet.Shipped.SYNTHETIC);
    }

    private static List<PhraseSet.Shipped> parsedSets(String... args) {
        CommandLine cli = VoxlineCli.commandLine();
        List<String> line = new java.util.ArrayList<>(List.of("bench", "latency"));
        line.addAll(List.of(args));
        cli.parseArgs(line.toArray(String[]::new));
        return cli.getSubcommands().get("bench").getSubcommands().get("latency").getCommandSpec()
                .findOption("--sets").getValue();
    }

    @Test
    void theSharedOptionsHaveOneDefaultWhereverTheyAreDeclared() {
        CommandLine cli = VoxlineCli.commandLine();
        for (String command : List.of("talk", "bench clock", "bench latency", "bench conversation", "bench alerts",
                "bench load", "bench capacity")) {
            assertThat(option(cli, command, "--url")).as(command).isEqualTo(GatewayOption.DEFAULT_URL);
        }
        for (String command : List.of("talk", "bench clock", "bench latency", "bench load", "bench capacity")) {
            assertThat(option(cli, command, "--timeout")).as(command).isEqualTo(TurnWaitOptions.DEFAULT_TIMEOUT);
            assertThat(option(cli, command, "--metrics-wait")).as(command)
                    .isEqualTo(TurnWaitOptions.DEFAULT_METRICS_WAIT);
        }
        for (String command : List.of("bench latency", "bench conversation", "bench load", "bench capacity",
                "bench overhead", "bench tracing")) {
            assertThat(option(cli, command, "--out")).as(command).isEqualTo(ReportDirOption.DEFAULT_DIR);
        }
        for (String command : List.of("bench latency", "bench conversation")) {
            assertThat(option(cli, command, "--profile")).as(command).isEqualTo(VadProfileOption.DEFAULT_PROFILE);
        }
    }

    private static String option(CommandLine cli, String command, String name) {
        CommandLine sub = cli;
        for (String part : command.split(" ")) {
            sub = sub.getSubcommands().get(part);
        }
        return sub.getCommandSpec().findOption(name).defaultValue();
    }

    @Test
    void realEnginesAreNamedExplicitly() {
        SessionOptions options = LatencyBenchCommand.options(LatencyBenchCommand.EngineChoice.REAL, "low-latency",
                "hello");

        assertThat(options.engines()).isEqualTo(new SessionConfig.Engines("silero", "vosk", "builtin", "marytts"));
        assertThat(options.vadProfile()).isEqualTo("low-latency");
        assertThat(options.simulation()).isNull();
    }

    @Test
    void simulatedEnginesUseTheKnownTimingsAndThePhraseAsTheTranscript() {
        SessionOptions options = LatencyBenchCommand.options(LatencyBenchCommand.EngineChoice.SIMULATED,
                "high-accuracy", "What time is it?");

        assertThat(options.engines()).isEqualTo(SessionConfig.Engines.simulated());
        assertThat(options.vadProfile()).isEqualTo("high-accuracy");
        assertThat(options.simulation().transcript()).isEqualTo("What time is it?");
        assertThat(options.simulation().llmTtftMs()).isEqualTo(Timings.Known.LLM_TTFT_MS);
        assertThat(options.simulation().ttsTtfbMs()).isEqualTo(Timings.Known.TTS_TTFB_MS);
        assertThat(options.simulation().reply()).isNull();
    }

    @Test
    void defaultEnginesNameNothing() {
        SessionOptions options = LatencyBenchCommand.options(LatencyBenchCommand.EngineChoice.DEFAULT, "low-latency",
                "hello");

        assertThat(options.engines()).isNull();
        assertThat(options.simulation()).isNull();
    }

    @Test
    void reportGroupsAreNamedBySessions() {
        assertThat(LatencyBenchCommand.group(1)).isEqualTo("1 session");
        assertThat(LatencyBenchCommand.group(5)).isEqualTo("5 sessions");
    }

    @Test
    void measuredUtterancesAreOrderedBySessionThenRoundKeepingTheListOrder() {
        TalkResult none = new TalkResult("s", List.of(), List.of(), null);
        List<Utterance> arrived = new java.util.ArrayList<>(List.of(new Utterance("synthetic", 2, 1, "a", "a", none),
                new Utterance("synthetic", 1, 1, "a", "a", none), new Utterance("synthetic", 1, 1, "b", "b", none),
                new Utterance("synthetic", 2, 1, "b", "b", none), new Utterance("synthetic", 1, 2, "a", "a", none)));

        assertThat(LatencyBenchCommand.ordered(arrived)).extracting(u -> u.session() + "/" + u.round() + "/"
                + u.phrase()).containsExactly("1/1/a", "1/1/b", "1/2/a", "2/1/a", "2/1/b");
    }

    private static LatencyBenchCommand.SpokenSet named(String name, String... files) {
        return new LatencyBenchCommand.SpokenSet(name, set(files));
    }

    private static PhraseSet set(String... names) {
        return new PhraseSet("test", Stream.of(names).map(n -> new PhraseSet.Phrase(n, "text of " + n,
                new SpeechAudio(new byte[640], n))).toList());
    }

    private int execute(String... args) {
        CommandLine cli = dev.voxline.loadtest.cli.VoxlineCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }
}
