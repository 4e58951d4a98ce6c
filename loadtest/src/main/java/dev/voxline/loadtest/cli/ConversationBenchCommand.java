package dev.voxline.loadtest.cli;

import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.loadtest.audio.PhraseSet;
import dev.voxline.loadtest.audio.UnreadableAudioException;
import dev.voxline.loadtest.client.OpenMicCall;
import dev.voxline.loadtest.client.TalkException;
import dev.voxline.loadtest.conversation.ConversationBench;
import dev.voxline.loadtest.conversation.ConversationBench.BargeIn;
import dev.voxline.loadtest.conversation.ConversationBench.Disturbance;
import dev.voxline.loadtest.conversation.ConversationBench.Disturbed;
import dev.voxline.loadtest.conversation.ConversationBench.Listened;
import dev.voxline.loadtest.conversation.ConversationSummary;
import dev.voxline.loadtest.conversation.SpokenItem;
import dev.voxline.loadtest.report.BenchReport;
import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./voxline bench conversation}: how the agent takes turns, measured as a caller with an open microphone
 * experiences it — premature replies and eou_delay on sentences with pauses (endpointing off vs on), e2e with and
 * without preemptive generation on the same audio, barge-in stop delay, and false barge-ins on noise, backchannels
 * and the agent's own echo.
 */
@Command(name = "conversation", mixinStandardHelpOptions = true,
        description = {"Conversation behaviour against a running Voxline, as a caller with an open microphone:",
                "endpointing: each paused sentence (human recordings and synthetic speech) with endpointing off "
                        + "(the turn ends after the VAD's silence window) and on (the defaults): premature replies, "
                        + "eou_delay, e2e;",
                "preemptive: the shipped phrase set with preemptive generation off and on: e2e;",
                "barge-in: a long answer interrupted by the next question: stop delay, answered;",
                "disturbances: noise bursts, backchannels and the agent's echo (gate on and off) over its reply: "
                        + "false barge-ins.",
                "--llm simulated needs the gateway started with ./voxline up --allow-test-settings."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every scenario ran", "1:no gateway, or a scenario could not run", "2:bad command line"})
public final class ConversationBenchCommand implements Callable<Integer> {

    /** The scenarios, in the order they run. */
    public enum Scenario { ENDPOINTING, PREEMPTIVE, BARGE_IN, DISTURBANCES }

    static final SessionConfig.TurnTaking ENDPOINTING_OFF = new SessionConfig.TurnTaking(null, null, null, 300, 300,
            false, null, null);
    static final SessionConfig.TurnTaking DEFAULTS = SessionConfig.TurnTaking.none();
    static final SessionConfig.TurnTaking PREEMPTIVE_OFF = new SessionConfig.TurnTaking(null, null, null, null, null,
            false, null, null);
    static final SessionConfig.TurnTaking PREEMPTIVE_ON = new SessionConfig.TurnTaking(null, null, null, null, null,
            true, null, null);
    static final SessionConfig.TurnTaking ECHO_GATE_OFF = new SessionConfig.TurnTaking(null, null, null, null, null,
            null, null, false);

    @Mixin
    private GatewayOption gateway;

    @Option(names = "--scenarios", split = ",", paramLabel = "S[,S...]", description = "endpointing, preemptive, "
            + "barge_in, disturbances (default: all)")
    private Set<Scenario> scenarios;

    @Option(names = "--llm", defaultValue = "builtin", paramLabel = "builtin|simulated", description = "builtin (the "
            + "built-in assistant: answers in a few ms, not a language model) or simulated (a simulated LLM with "
            + "--llm-ttft; needs --allow-test-settings) (default: ${DEFAULT-VALUE})")
    private String llm;

    @Option(names = "--llm-ttft", defaultValue = "350", paramLabel = "MS", description = "the simulated LLM's time "
            + "to first token (default: ${DEFAULT-VALUE})")
    private int llmTtftMs;

    @Mixin
    private VadProfileOption vadProfile;

    @Option(names = "--barge-ins", defaultValue = "12", paramLabel = "N", description = "barge-in rounds "
            + "(default: ${DEFAULT-VALUE})")
    private int bargeIns;

    @Option(names = "--disturbance-rounds", defaultValue = "2", paramLabel = "N", description = "times each "
            + "disturbance is tried (default: ${DEFAULT-VALUE})")
    private int disturbanceRounds;

    @Mixin
    private ReportDirOption reportDir;

    @Option(names = "--events", description = "print every call's events with their times (for a closer look)")
    private boolean events;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    private PrintWriter out;

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!llm.equals("builtin") && !llm.equals("simulated")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--llm must be builtin or simulated");
        }
        if (bargeIns < 1 || disturbanceRounds < 1 || llmTtftMs < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--barge-ins and --disturbance-rounds must "
                    + "be at least 1, --llm-ttft not negative");
        }
        Set<Scenario> run = scenarios == null || scenarios.isEmpty() ? EnumSet.allOf(Scenario.class)
                : EnumSet.copyOf(scenarios);
        boolean simulatedLlm = llm.equals("simulated");
        SessionConfig.Engines engines = new SessionConfig.Engines("silero", "vosk", simulatedLlm ? "simulated"
                : "builtin", "marytts");
        SessionConfig.Simulation simulation = simulatedLlm ? new SessionConfig.Simulation(null, null, llmTtftMs,
                null, null, null, null, null, null) : null;
        String llmLabel = simulatedLlm ? "a simulated LLM with " + llmTtftMs + " ms TTFT (not a language model)"
                : "the built-in assistant (not a language model)";
        URI url = gateway.url();
        String profile = vadProfile.profile();
        String settings = String.format(Locale.ROOT, "conversation benchmark: Silero VAD, Vosk, %s, MaryTTS; "
                + "profile %s; %s", llmLabel, profile, url);
        out.println(settings);
        out.flush();
        BenchReport report = BenchReport.create("conversation", settings).setting("llm", llmLabel)
                .setting("profile", profile);
        ConversationBench bench = new ConversationBench(url, engines, simulation, profile, events ? this::print : null);
        try {
            if (run.contains(Scenario.ENDPOINTING)) {
                endpointing(bench, report);
            }
            if (run.contains(Scenario.PREEMPTIVE)) {
                preemptive(bench, report);
            }
            if (run.contains(Scenario.BARGE_IN)) {
                bargeIn(bench, report);
            }
            if (run.contains(Scenario.DISTURBANCES)) {
                disturbances(bench, report);
            }
        } catch (TalkException | UnreadableAudioException e) {
            err.println("voxline bench: " + e.getMessage());
            return 1;
        }
        report.finished();
        try {
            BenchReport.Written written = report.write(reportDir.dir());
            out.println("report: " + written.json() + " and " + written.html());
        } catch (RuntimeException e) {
            err.println("voxline bench: could not write the report into " + reportDir.dir() + ": " + e.getMessage());
        }
        return 0;
    }

    // ---- endpointing: premature replies and eou_delay, off vs on

    private void endpointing(ConversationBench bench, BenchReport report) throws UnreadableAudioException {
        List<SpokenItem> items = PausedSentences.load();
        out.printf(Locale.ROOT, "%n== endpointing: %d sentences with pauses (%d human), endpointing off "
                + "(min = max = 300 ms) vs on (defaults)%n", items.size(), items.stream()
                .filter(i -> i.source().equals(SpokenItem.HUMAN)).count());
        List<Listened> all = new ArrayList<>();
        for (SpokenItem item : items) {
            for (String mode : List.of("off", "on")) {
                Listened l = bench.listen(item, mode, mode.equals("off") ? ENDPOINTING_OFF : DEFAULTS);
                all.add(l);
                out.printf(Locale.ROOT, "  %-28s %-9s %-3s %s turns=%d eou=%s e2e=%s heard \"%s\"%s%n", item.name(),
                        item.source(), mode, l.premature() ? "PREMATURE" : "ok       ", l.answeredTurns(),
                        ms(l.eouDelay()), ms(l.e2e()), l.heard(), l.problem() != null ? " — " + l.problem() : "");
                out.flush();
            }
        }
        List<List<String>> rows = new ArrayList<>();
        for (String source : List.of(SpokenItem.HUMAN, SpokenItem.SYNTHETIC, "all")) {
            for (String mode : List.of("off", "on")) {
                List<Listened> group = all.stream().filter(l -> l.mode().equals(mode)
                        && (source.equals("all") || l.item().source().equals(source))).toList();
                String line = String.format(Locale.ROOT, "  %-9s endpointing %-3s: %s; %s; %s; %s", source, mode,
                        ConversationSummary.rate("premature replies", group, Listened::premature),
                        ConversationSummary.figure("eou_delay", group, Listened::eouDelay),
                        ConversationSummary.figure("e2e", group, Listened::e2e),
                        ConversationSummary.rate("unanswered", group, l -> l.problem() != null));
                out.println(line);
                rows.add(List.of(source, mode, String.valueOf(group.stream().filter(Listened::premature).count()),
                        String.valueOf(group.size()), ms(ConversationSummary.p50(group, Listened::eouDelay)),
                        ms(ConversationSummary.p50(group, Listened::e2e))));
                report.samples("endpointing " + mode + " " + source, "eou_delay", values(group, Listened::eouDelay));
                report.samples("endpointing " + mode + " " + source, "e2e", values(group, Listened::e2e));
            }
        }
        report.table(new BenchReport.Table("endpointing off vs on", List.of("speech", "endpointing", "premature",
                "utterances", "eou_delay p50 ms", "e2e p50 ms"), rows));
    }

    // ---- preemptive generation: e2e off vs on, same audio

    private void preemptive(ConversationBench bench, BenchReport report) throws UnreadableAudioException {
        PhraseSet phrases = PhraseSet.shipped();
        out.printf(Locale.ROOT, "%n== preemptive generation: %d phrases, off vs on%n", phrases.size());
        List<Listened> all = new ArrayList<>();
        for (PhraseSet.Phrase phrase : phrases.phrases()) {
            SpokenItem item = new SpokenItem(phrase.name(), phrase.reference(), phrase.audio().pcm(),
                    SpokenItem.SYNTHETIC);
            for (String mode : List.of("off", "on")) {
                Listened l = bench.listen(item, mode, mode.equals("off") ? PREEMPTIVE_OFF : PREEMPTIVE_ON);
                all.add(l);
                out.printf(Locale.ROOT, "  %-24s preemptive %-3s eou=%s e2e=%s client=%s%s%n", item.name(), mode,
                        ms(l.eouDelay()), ms(l.e2e()), ms(l.clientE2e()), l.problem() != null ? " — "
                                + l.problem() : "");
                out.flush();
            }
        }
        for (String mode : List.of("off", "on")) {
            List<Listened> group = all.stream().filter(l -> l.mode().equals(mode)).toList();
            out.printf(Locale.ROOT, "  preemptive %-3s: %s; %s; %s%n", mode,
                    ConversationSummary.figure("e2e", group, Listened::e2e),
                    ConversationSummary.figure("client e2e", group, Listened::clientE2e),
                    ConversationSummary.figure("eou_delay", group, Listened::eouDelay));
            report.samples("preemptive " + mode, "e2e", values(group, Listened::e2e));
            report.samples("preemptive " + mode, "client e2e", values(group, Listened::clientE2e));
        }
    }

    // ---- barge-in

    private void bargeIn(ConversationBench bench, BenchReport report) throws UnreadableAudioException {
        PhraseSet phrases = PhraseSet.shipped();
        SpokenItem question = item(phrases, "q11-help");
        List<SpokenItem> interrupters = List.of(item(phrases, "q04-what-time"), item(phrases, "q06-what-day"),
                item(phrases, "s03-table"), item(phrases, "q13-know-what-day"));
        out.printf(Locale.ROOT, "%n== barge-in: %d rounds, \"%s\" then the next question over its answer%n",
                bargeIns, question.reference());
        List<BargeIn> rounds = new ArrayList<>();
        try (OpenMicCall call = bench.connect(DEFAULTS)) {
            for (int r = 0; r < bargeIns; r++) {
                long offsetMs = 800 + (r % 5) * 400L;
                BargeIn b = bench.bargeIn(call, r + 1, question, interrupters.get(r % interrupters.size()), offsetMs);
                rounds.add(b);
                out.printf(Locale.ROOT, "  round %2d at +%4d ms: %s stop_delay=%s speech→pause=%s answered=%s "
                                + "e2e=%s heard \"%s\"%s%n", b.round(), b.offsetMs(), b.stopped() ? "stopped" : "NOT "
                                + "STOPPED", ms(b.stopDelayMs()), ms(b.speechToPauseMs()), b.answered(),
                        ms(b.answerE2e()), b.heard(), b.problem() != null ? " — " + b.problem() : "");
                out.flush();
            }
        }
        out.printf(Locale.ROOT, "  %s; %s; %s; %s; %s%n",
                ConversationSummary.rate("stopped", rounds, BargeIn::stopped),
                ConversationSummary.figure("stop delay (detection → last audio byte sent)", rounds,
                        BargeIn::stopDelayMs),
                ConversationSummary.figure("interrupting speech → audio.paused", rounds, BargeIn::speechToPauseMs),
                ConversationSummary.rate("interrupting question answered", rounds, BargeIn::answered),
                ConversationSummary.figure("its e2e", rounds, BargeIn::answerE2e));
        report.samples("barge-in", "stop delay", values(rounds, BargeIn::stopDelayMs));
        report.samples("barge-in", "speech to pause", values(rounds, BargeIn::speechToPauseMs));
        report.samples("barge-in", "answer e2e", values(rounds, BargeIn::answerE2e));
    }

    // ---- disturbances: false barge-ins

    private void disturbances(ConversationBench bench, BenchReport report) throws UnreadableAudioException {
        PhraseSet phrases = PhraseSet.shipped();
        SpokenItem question = item(phrases, "q11-help");
        List<Disturbance> sounds = new ArrayList<>();
        sounds.add(new Disturbance("noise", ConversationBench.noiseBurst("click 10 ms -6 dBFS", 10, -6, 1), null));
        sounds.add(new Disturbance("noise", ConversationBench.noiseBurst("burst 150 ms -20 dBFS", 150, -20, 2),
                null));
        sounds.add(new Disturbance("noise", ConversationBench.noiseBurst("cough-like 350 ms -12 dBFS", 350, -12, 3),
                null));
        sounds.add(new Disturbance("noise", ConversationBench.noiseBurst("knock 800 ms -15 dBFS", 800, -15, 4),
                null));
        for (PhraseSet.Phrase b : PhraseSet.classpath("/audio/backchannels/").phrases()) {
            sounds.add(new Disturbance("backchannel", new SpokenItem(b.name(), b.reference(), b.audio().pcm(),
                    SpokenItem.SYNTHETIC), null));
        }
        List<Disturbance> echoes = new ArrayList<>();
        for (double gain : new double[] {-6, -12, -20}) {
            for (int delay : new int[] {60, 100, 140}) {
                echoes.add(new Disturbance("echo", null, new OpenMicCall.Echo(gain, delay)));
            }
        }
        out.printf(Locale.ROOT, "%n== disturbances over the agent's answer to \"%s\": %d sounds × %d, %d echoes "
                + "(gate on and off)%n", question.reference(), sounds.size(), disturbanceRounds, echoes.size());
        List<Disturbed> all = new ArrayList<>();
        List<Disturbed> echoGateOff = new ArrayList<>();
        try (OpenMicCall call = bench.connect(DEFAULTS)) {
            for (int r = 0; r < disturbanceRounds; r++) {
                for (Disturbance d : sounds) {
                    all.add(printed(bench.disturb(call, question, d), "gate on"));
                }
            }
            for (Disturbance d : echoes) {
                all.add(printed(bench.disturb(call, question, d), "gate on"));
            }
        }
        try (OpenMicCall call = bench.connect(ECHO_GATE_OFF)) {
            for (Disturbance d : echoes) {
                echoGateOff.add(printed(bench.disturb(call, question, d), "gate OFF"));
            }
        }
        List<List<String>> rows = new ArrayList<>();
        for (String kind : List.of("noise", "backchannel", "echo")) {
            List<Disturbed> group = all.stream().filter(d -> d.kind().equals(kind)).toList();
            summary(kind + (kind.equals("echo") ? " (gate on)" : ""), group, rows);
        }
        summary("echo (gate off)", echoGateOff, rows);
        report.table(new BenchReport.Table("false barge-ins", List.of("disturbance", "tries", "stopped the agent",
                "paused and resumed"), rows));
    }

    private Disturbed printed(Disturbed d, String gate) {
        out.printf(Locale.ROOT, "  %-11s %-28s %-8s %s%s heard \"%s\"%s%n", d.kind(), d.name(),
                d.kind().equals("echo") ? gate : "", d.stopped() ? "STOPPED (false barge-in)" : d.paused()
                        ? "paused, " + (d.resumed() ? "resumed" : "NOT resumed") : "undisturbed", "", d.heard(),
                d.problem() != null ? " — " + d.problem() : "");
        out.flush();
        return d;
    }

    private void summary(String label, List<Disturbed> group, List<List<String>> rows) {
        long stopped = group.stream().filter(Disturbed::stopped).count();
        long paused = group.stream().filter(d -> d.paused() && !d.stopped()).count();
        out.printf(Locale.ROOT, "  %-18s false barge-ins %d/%d, paused and resumed %d%n", label, stopped,
                group.size(), paused);
        rows.add(List.of(label, String.valueOf(group.size()), String.valueOf(stopped), String.valueOf(paused)));
    }

    // ---- helpers

    private static SpokenItem item(PhraseSet phrases, String name) {
        return phrases.phrases().stream().filter(p -> p.name().equals(name + ".wav")).findFirst()
                .map(p -> new SpokenItem(p.name(), p.reference(), p.audio().pcm(), SpokenItem.SYNTHETIC))
                .orElseThrow(() -> new IllegalStateException("the shipped phrase set has no " + name));
    }

    private static <T> List<Double> values(List<T> outcomes, Function<T, Double> value) {
        return outcomes.stream().map(value).filter(Objects::nonNull).filter(v -> v >= 0).toList();
    }

    private static String ms(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.0f", value);
    }

    private void print(String line) {
        out.println(line);
        out.flush();
    }
}
