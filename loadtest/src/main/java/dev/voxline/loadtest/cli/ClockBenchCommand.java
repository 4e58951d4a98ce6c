package dev.voxline.loadtest.cli;

import dev.voxline.loadtest.audio.SpeechAudio;
import dev.voxline.loadtest.audio.UnreadableAudioException;
import dev.voxline.loadtest.audio.WavReader;
import dev.voxline.loadtest.client.SessionOptions;
import dev.voxline.loadtest.client.TalkException;
import dev.voxline.loadtest.client.TalkRequest;
import dev.voxline.loadtest.client.Timings;
import dev.voxline.loadtest.client.TurnResult;
import dev.voxline.loadtest.client.TurnRunner;
import dev.voxline.loadtest.report.ClockBenchReport;
import dev.voxline.loadtest.report.LatencyLine;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./voxline bench clock}: says a phrase N times, one turn after another, and tabulates the server's turn clock
 * ({@code turn.metrics}) and the client's E2E.
 */
@Command(name = "clock", mixinStandardHelpOptions = true,
        description = {"Say a spoken phrase N times (one turn after another, in one session unless "
                + "--session-per-turn) and print p50/p95 of e2e, eou_delay, e2e - eou_delay, transport, the client's "
                + "E2E, the stage figures and e2e - (eou_delay + llm_ttft + first_clause_delay + tts_ttfb).",
                "zero/known timings need the gateway started with ./voxline up --allow-test-settings."})
public final class ClockBenchCommand implements Callable<Integer> {

    /** The shipped phrase (see src/main/resources/audio/make-phrase.sh) and what it says. */
    static final String PHRASE_RESOURCE = "/audio/bench-phrase-16k.wav";
    static final String PHRASE_TRANSCRIPT = "what is the weather like in paris today";
    static final String REPLY = "It is sunny in Paris today.";

    @Option(names = "--turns", defaultValue = "20", description = "measured turns (default: ${DEFAULT-VALUE})")
    private int turns;

    @Option(names = "--warmup", defaultValue = "1", description = "turns said first and not counted (default: "
            + "${DEFAULT-VALUE})")
    private int warmup;

    @Option(names = "--timings", defaultValue = "zero", converter = TimingsConverter.class,
            description = "zero or known (STT 120 ms, TTFT 300 ms, TTFB 100 ms), or default (default: "
                    + "${DEFAULT-VALUE})")
    private Timings timings;

    @Mixin
    private GatewayOption gateway;

    @Option(names = "--wav", paramLabel = "FILE.wav", description = "say this instead of the shipped phrase (its "
            + "transcript is then the simulated STT's own)")
    private Path wav;

    @Option(names = "--session-per-turn", description = "a new session for every turn instead of one session")
    private boolean sessionPerTurn;

    @Mixin
    private TurnWaitOptions waits;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (turns < 1 || warmup < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--turns must be ≥ 1 and --warmup ≥ 0");
        }
        SpeechAudio phrase;
        try {
            phrase = wav != null ? WavReader.read(wav) : shippedPhrase();
        } catch (UnreadableAudioException e) {
            err.println("voxline bench: " + e.getMessage());
            return 1;
        }
        SessionOptions options = SessionOptions.defaults().withSimulation(
                timings.simulation(wav == null ? PHRASE_TRANSCRIPT : null, REPLY));
        if (timings == Timings.DEFAULT && wav != null) {
            options = SessionOptions.defaults();
        }
        TalkRequest request = TalkRequest.audio(phrase).withReplyTimeout(waits.timeout())
                .withMetricsWait(waits.metricsWait());
        URI url = gateway.url();
        out.printf(Locale.ROOT, "clock benchmark: %d turns (+%d warm-up) with timings %s, %s, %s, %.1f s phrase%n",
                turns, warmup, timings.label(), sessionPerTurn ? "a session per turn" : "one session", url,
                phrase.durationMs() / 1000.0);
        out.flush();
        TurnRunner.Outcome outcome;
        try {
            outcome = new TurnRunner(url, options, request, warmup, turns, sessionPerTurn).run(line -> {
                out.println(line);
                out.flush();
            }, LatencyLine::format);
        } catch (TalkException e) {
            err.println("voxline bench: " + e.getMessage());
            return 1;
        }
        List<TurnResult> measured = outcome.measured();
        int failures = outcome.problems();
        long withMetrics = measured.stream().filter(t -> t.metrics() != null).count();
        out.println();
        out.printf(Locale.ROOT, "%d measured turns, %d with turn.metrics, %d problems (timings %s)%n",
                measured.size(), withMetrics, failures, timings.label());
        if (withMetrics == 0 && !measured.isEmpty()) {
            out.println("no turn.metrics arrived: only the client's E2E was measured (does this server report its "
                    + "turn clock?)");
        }
        out.print(ClockBenchReport.table(measured));
        out.flush();
        return failures == 0 && withMetrics == measured.size() && !measured.isEmpty() ? 0 : 1;
    }

    static SpeechAudio shippedPhrase() throws UnreadableAudioException {
        InputStream in = ClockBenchCommand.class.getResourceAsStream(PHRASE_RESOURCE);
        if (in == null) {
            throw new UnreadableAudioException(PHRASE_RESOURCE + " is missing from the build");
        }
        try (InputStream buffered = new BufferedInputStream(in)) {
            return WavReader.read(buffered, "bench-phrase-16k.wav");
        } catch (java.io.IOException e) {
            throw new UnreadableAudioException(PHRASE_RESOURCE + ": " + e.getMessage(), e);
        }
    }
}
