package dev.voxline.loadtest.cli;

import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.loadtest.audio.PhraseSet;
import dev.voxline.loadtest.audio.UnreadableAudioException;
import dev.voxline.loadtest.client.SessionOptions;
import dev.voxline.loadtest.client.TalkException;
import dev.voxline.loadtest.client.TalkRequest;
import dev.voxline.loadtest.client.TalkResult;
import dev.voxline.loadtest.client.TalkSession;
import dev.voxline.loadtest.client.Timings;
import dev.voxline.loadtest.client.TurnResult;
import dev.voxline.loadtest.report.BenchReport;
import dev.voxline.loadtest.report.EngineStack;
import dev.voxline.loadtest.report.LatencyBenchReport;
import dev.voxline.loadtest.report.LatencyLine;
import dev.voxline.loadtest.report.Percentiles;
import dev.voxline.loadtest.report.Utterance;
import dev.voxline.loadtest.report.WordErrorRate;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./voxline bench latency}: says each phrase of one or more spoken sets as one turn (LiveKit's
 * {@code test_response_latency}) — the synthetic (espeak-ng) set and the human recordings by default — prints what
 * was heard next to what was said and each turn's latency line, then per set the figures' n / p50 / p95 / mean, the
 * pooled word error rate and the guide's tiers (graded only for stages that ran a real engine), the engines as the
 * turns reported them, and a per-phrase table, and writes the run as a {@link BenchReport}.
 */
@Command(name = "latency", mixinStandardHelpOptions = true,
        description = {"Say each phrase of the spoken sets as one turn: the synthetic set (espeak-ng phrases the "
                + "built-in assistant answers or repeats back) and the human set (every transcribed recording of the "
                + "Debian package pocketsphinx-testdata). Print, per phrase, the reference next to the transcript "
                + "and the turn's latency line, then per set n/p50/p95/mean of eou_delay, transcription_delay, "
                + "llm_ttft, first_clause_delay, tts_ttfb, e2e, transport, the client's E2E, stt_rtf and the VAD's "
                + "ms per window, the pooled WER, the engines that ran and the guide's tiers for the stages that ran "
                + "a real engine.",
                "--engines simulated needs the gateway started with ./voxline up --allow-test-settings."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every measured phrase gave finished turns with turn.metrics", "1:a phrase failed (no "
                + "turn, server error, timeout, no turn.metrics) or no gateway", "2:bad command line"})
public final class LatencyBenchCommand implements Callable<Integer> {

    /** The real local engines, named so the run measures them whatever the server's defaults are. */
    static final SessionConfig.Engines REAL_ENGINES = new SessionConfig.Engines("silero", "vosk", "builtin",
            "marytts");
    static final Duration SESSION_STAGGER = Duration.ofMillis(500);
    static final int MAX_SESSIONS = 200;

    /** Which engines the sessions ask for. */
    public enum EngineChoice {
        /** silero, vosk, builtin, marytts, named explicitly. */
        REAL,
        /** every stage simulated, {@link Timings#KNOWN}, the phrase's reference as the simulated transcript. */
        SIMULATED,
        /** nothing named: each stage's configured default. */
        DEFAULT;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The VAD engine the sessions name, or null (the server's default). */
        String vad() {
            return this == REAL ? REAL_ENGINES.vad() : this == SIMULATED ? SessionConfig.Engines.SIMULATED : null;
        }

        /** What the sessions ask for, for the report (what ran is read off turn.metrics). */
        String requested() {
            return switch (this) {
                case REAL -> REAL_ENGINES.toString();
                case SIMULATED -> "simulated, timings known, reference as transcript, a session per utterance";
                case DEFAULT -> "the server's defaults";
            };
        }
    }

    /** A spoken set by name ("synthetic", "human", or a directory's name). */
    record SpokenSet(String name, PhraseSet phrases) {
    }

    /** One phrase to say: {@code round} 0 is warm-up (not counted); {@code position} is within its set. */
    record Planned(String set, int round, int position, PhraseSet.Phrase phrase) {
        boolean warmup() {
            return round == 0;
        }
    }

    @Option(names = "--engines", defaultValue = "real", paramLabel = "real|simulated|default",
            converter = EngineChoiceConverter.class,
            description = "real (silero, vosk, builtin, marytts), simulated (known timings, the reference as the "
                    + "transcript; needs --allow-test-settings) or default (the server's) (default: ${DEFAULT-VALUE})")
    private EngineChoice engines;

    @Mixin
    private VadProfileOption vadProfile;

    @Option(names = "--sessions", defaultValue = "1", paramLabel = "N", description = "concurrent callers, started "
            + "0.5 s apart, each saying every set (default: ${DEFAULT-VALUE})")
    private int sessions;

    @Option(names = "--rounds", defaultValue = "1", paramLabel = "R", description = "times through the sets "
            + "(default: ${DEFAULT-VALUE})")
    private int rounds;

    @Option(names = "--warmup", defaultValue = "2", paramLabel = "W", description = "phrases said first by each "
            + "caller (from the top of the first set) and not counted (default: ${DEFAULT-VALUE})")
    private int warmup;

    @Option(names = "--sets", split = ",", defaultValue = "synthetic,human", paramLabel = "SET",
            converter = ShippedSetConverter.class, description = "the shipped spoken sets to say, in this order: "
            + "synthetic (espeak-ng), human (recordings from pocketsphinx-testdata) (default: ${DEFAULT-VALUE})")
    private List<PhraseSet.Shipped> sets;

    @Option(names = "--phrases", paramLabel = "DIR", description = "a phrase set of your own instead of --sets: "
            + "DIR/phrases.tsv (file name TAB reference text) and its WAV files")
    private Path phrasesDir;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N", description = "say only the first N phrases of "
            + "each set (a quick check; 0: all) (default: ${DEFAULT-VALUE})")
    private int limit;

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private TurnWaitOptions waits;

    @Mixin
    private ReportDirOption reportDir;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String invalid = validate(sessions, rounds, warmup, limit);
        if (invalid != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), invalid);
        }
        List<SpokenSet> spoken;
        try {
            spoken = spokenSets(phrasesDir, sets, limit);
        } catch (UnreadableAudioException e) {
            err.println("voxline bench: " + e.getMessage());
            return 1;
        }
        int phraseCount = spoken.stream().mapToInt(s -> s.phrases().size()).sum();
        List<Planned> plan = plan(spoken, warmup, rounds);
        String group = group(sessions);
        String settingsLine = String.format(Locale.ROOT, "latency benchmark: %s × %d round%s × %d session%s "
                        + "(+%d warm-up each), engines asked for: %s, profile %s, %s", describe(spoken), rounds,
                rounds == 1 ? "" : "s", sessions, sessions == 1 ? "" : "s", warmup, engines.requested(),
                vadProfile.profile(), gateway.url());
        out.println(settingsLine);
        out.flush();
        BenchReport report = BenchReport.create("latency", settingsLine);

        List<Utterance> measured = Collections.synchronizedList(new ArrayList<>());
        List<String> callerFailures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService callers = Executors.newFixedThreadPool(sessions, runnable -> {
            Thread thread = new Thread(runnable, "voxline-bench-caller");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int s = 1; s <= sessions; s++) {
                int session = s;
                running.add(callers.submit(() -> {
                    sleep(SESSION_STAGGER.multipliedBy(session - 1));
                    String failure = caller(session, plan, spoken, measured, out);
                    if (failure != null) {
                        callerFailures.add("session " + session + ": " + failure);
                    }
                }));
            }
            for (Future<?> future : running) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("voxline bench: interrupted");
            return 1;
        } catch (java.util.concurrent.ExecutionException e) {
            err.println("voxline bench: " + e.getCause());
            return 1;
        } finally {
            callers.shutdownNow();
        }

        List<Utterance> utterances = ordered(measured);
        for (String failure : callerFailures) {
            err.println("voxline bench: " + failure);
        }
        List<TurnResult> allTurns = LatencyBenchReport.turns(utterances);
        EngineStack stack = EngineStack.of(allTurns, engines.vad());
        long failed = utterances.stream().filter(Utterance::failed).count();
        long withMetrics = allTurns.stream().filter(t -> t.metrics() != null).count();
        // a report metrics-service completed by its timeout: counted, but some figures of the turn are missing
        long incomplete = allTurns.stream().filter(t -> t.metrics() != null && t.metrics().reason() != null).count();
        out.println();
        out.printf(Locale.ROOT, "%d measured utterances (%s), %d turns, %d with turn.metrics (%d incomplete), %d "
                + "failed%n", utterances.size(), group, allTurns.size(), withMetrics, incomplete, failed);
        out.println("engines that ran (from turn.metrics; the VAD as asked for): " + stack.label());
        List<String> summary = new ArrayList<>();
        for (SpokenSet set : spoken) {
            List<Utterance> ofSet = LatencyBenchReport.ofSet(utterances, set.name());
            String werLine = LatencyBenchReport.werLine(ofSet);
            List<String> grades = LatencyBenchReport.grades(ofSet, stack);
            out.println();
            out.printf(Locale.ROOT, "── %s set: %s%n", set.name(), set.phrases().source());
            out.print(LatencyBenchReport.table(ofSet));
            out.println(werLine);
            grades.forEach(out::println);
            out.println();
            out.print(LatencyBenchReport.phraseTable(ofSet));
            summary.add(String.format(Locale.ROOT, "%-10s %s; e2e p50 %s ms", set.name(), werLine,
                    LatencyLine.ms(nanToNull(summary(ofSet, "e2e").p50()))));
            fillSet(report, set, group, ofSet, werLine, grades);
        }
        if (spoken.size() > 1) {
            out.println();
            summary.forEach(out::println);
        }
        out.flush();

        fill(report, stack, plan, spoken);
        report.result("failed utterances", failed).result("incomplete turn.metrics", incomplete);
        callerFailures.forEach(report::note);
        try {
            BenchReport.Written written = report.write(reportDir.dir());
            out.println();
            out.println("report: " + written.json() + " and " + written.html());
        } catch (RuntimeException e) {
            err.println("voxline bench: could not write the report into " + reportDir.dir() + ": " + e.getMessage());
            return 1;
        }
        out.flush();
        boolean ok = failed == 0 && callerFailures.isEmpty() && !utterances.isEmpty()
                && utterances.size() == sessions * rounds * phraseCount;
        return ok ? 0 : 1;
    }

    /** One caller saying the plan; returns why it stopped early, or null. */
    private String caller(int session, List<Planned> plan, List<SpokenSet> spoken, List<Utterance> measured,
                          PrintWriter out) {
        TalkSession talk = null;
        try {
            for (Planned item : plan) {
                int setSize = spoken.stream().filter(s -> s.name().equals(item.set())).findFirst()
                        .map(s -> s.phrases().size()).orElse(0);
                TalkResult result;
                try {
                    if (talk == null || engines == EngineChoice.SIMULATED) {
                        if (talk != null) {
                            talk.close();
                        }
                        talk = TalkSession.connect(gateway.url(), options(engines, vadProfile.profile(),
                                item.phrase().reference()));
                    }
                    result = talk.run(TalkRequest.audio(item.phrase().audio()).withReplyTimeout(waits.timeout())
                            .withMetricsWait(waits.metricsWait()));
                } catch (TalkException e) {
                    if (talk != null) {
                        talk.close();
                        talk = null;
                    }
                    result = new TalkResult(null, List.of(), List.of(), e.getMessage());
                    if (e.getMessage() != null && e.getMessage().startsWith("no gateway")) {
                        print(out, session, item, setSize, utterance(session, item, result));
                        return e.getMessage();
                    }
                }
                Utterance utterance = utterance(session, item, result);
                print(out, session, item, setSize, utterance);
                if (!item.warmup()) {
                    measured.add(utterance);
                }
            }
            return null;
        } finally {
            if (talk != null) {
                talk.close();
            }
        }
    }

    private static Utterance utterance(int session, Planned item, TalkResult result) {
        return new Utterance(item.set(), session, item.round(), item.phrase().name(), item.phrase().reference(),
                result);
    }

    private void print(PrintWriter out, int session, Planned item, int setSize, Utterance u) {
        String label = item.warmup() ? String.format(Locale.ROOT, "s%d warm-up              ", session)
                : String.format(Locale.ROOT, "s%d r%d %-9s %3d/%d", session, item.round(), item.set(),
                item.position(), setSize);
        WordErrorRate.Alignment words = u.alignment();
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%s %-24s said \"%s\" | heard \"%s\" | WER %s%n", label, u.phrase(),
                u.reference(), u.heard(), words.describe()));
        for (TurnResult turn : u.turns()) {
            text.append("    ").append(LatencyLine.format(turn)).append(System.lineSeparator());
        }
        for (String problem : u.problems()) {
            text.append("    problem: ").append(problem).append(System.lineSeparator());
        }
        synchronized (out) {
            out.print(text);
            out.flush();
        }
    }

    private void fill(BenchReport report, EngineStack stack, List<Planned> plan, List<SpokenSet> spoken) {
        report.setting("engines", engines.label())
                .setting("engines asked for", engines.requested())
                .setting("vad profile", vadProfile.profile())
                .setting("sessions", sessions)
                .setting("rounds", rounds)
                .setting("warm-up phrases per session", warmup)
                .setting("phrase limit per set", limit == 0 ? "none" : limit)
                .setting("spoken sets", spoken.stream().map(SpokenSet::name).toList())
                .setting("phrases", spoken.stream().mapToInt(s -> s.phrases().size()).sum())
                .setting("url", gateway.url().toString())
                .setting("reply timeout ms", waits.timeout().toMillis())
                .setting("said per session", plan.size());
        report.result("engines that ran", stack.label());
        report.note("Engines that ran: STT, LLM and TTS as each turn's turn.metrics named them (stt_engine, "
                + "llm_engine, llm_model, tts_engine, tts_voice); the VAD as the sessions asked for it (turn.metrics "
                + "does not name it).");
        report.note("WER: word-level Levenshtein distance, pooled (Σ edits / Σ reference words); texts lower-cased, "
                + "apostrophes removed, other punctuation a word break; digits and number words are different "
                + "words (the references spell numbers as words).");
        report.note("Tiers (the guide): e2e excellent < 500 ms, good < 800 ms; llm_ttft excellent < 250 ms, good "
                + "< 400 ms; tts_ttfb excellent < 150 ms, good < 200 ms. A figure is graded only when its stage ran "
                + "a real engine: llm_ttft only for a language model (not the built-in assistant, not a simulated "
                + "LLM), e2e only when every stage was real and a language model answered.");
    }

    private static void fillSet(BenchReport report, SpokenSet set, String group, List<Utterance> utterances,
                                String werLine, List<String> grades) {
        String setGroup = set.name() + ", " + group;
        report.setting("phrase set " + set.name(), set.phrases().source());
        for (LatencyBenchReport.Row row : LatencyBenchReport.rows(utterances)) {
            LatencyBenchReport.Figure f = row.figure();
            report.samples(setGroup, f.name(), f.unit().isEmpty() ? "ratio" : f.unit(), row.samples());
        }
        List<List<String>> rows = new ArrayList<>();
        for (LatencyBenchReport.Row row : LatencyBenchReport.rows(utterances)) {
            Percentiles.Summary s = row.summary();
            LatencyBenchReport.Figure f = row.figure();
            rows.add(List.of(f.name(), f.unit().isEmpty() ? "ratio" : f.unit(), Integer.toString(s.count()),
                    f.format(s.p50()), f.format(s.p95()), f.format(s.mean())));
        }
        report.table(new BenchReport.Table("latency (" + setGroup + ")", List.of("figure", "unit", "n", "p50",
                "p95", "mean"), rows));
        List<List<String>> phraseRows = new ArrayList<>();
        for (LatencyBenchReport.PhraseRow row : LatencyBenchReport.phraseRows(utterances)) {
            double rate = WordErrorRate.pooled(row.words());
            phraseRows.add(List.of(row.phrase(), row.reference(), Integer.toString(row.utterances()),
                    Double.isNaN(rate) ? "–" : String.format(Locale.ROOT, "%.1f %%", 100 * rate),
                    row.words().describe(), LatencyLine.ms(nanToNull(row.e2e().p50())),
                    LatencyLine.ms(nanToNull(row.ttsTtfb().p50())), Integer.toString(row.failed()), row.lastHeard()));
        }
        report.table(new BenchReport.Table("per phrase (" + set.name() + ")", List.of("phrase", "reference", "n",
                "WER", "edits", "e2e p50 ms", "tts_ttfb p50 ms", "failed", "heard (last)"), phraseRows));
        WordErrorRate.Alignment words = LatencyBenchReport.words(utterances);
        String key = " " + set.name();
        report.result("utterances" + key, utterances.size())
                .result("wer" + key, nanToNull(WordErrorRate.pooled(words)))
                .result("wer edits" + key, words.edits())
                .result("wer reference words" + key, words.referenceWords())
                .result("wer line" + key, werLine)
                .result("e2e p50 ms" + key, nanToNull(summary(utterances, "e2e").p50()))
                .result("tts_ttfb p50 ms" + key, nanToNull(summary(utterances, "tts_ttfb").p50()))
                .result("tiers" + key, String.join("; ", grades.stream().map(String::strip).toList()));
    }

    private static Percentiles.Summary summary(List<Utterance> utterances, String figure) {
        return Percentiles.summarize(LatencyBenchReport.samples(LatencyBenchReport.turns(utterances),
                LatencyBenchReport.figure(figure)));
    }

    // ---- pure parts (tested)

    /** Why the options cannot run, or null. */
    static String validate(int sessions, int rounds, int warmup, int limit) {
        if (sessions < 1 || sessions > MAX_SESSIONS) {
            return "--sessions must be between 1 and " + MAX_SESSIONS + ", was " + sessions;
        }
        if (rounds < 1) {
            return "--rounds must be ≥ 1, was " + rounds;
        }
        if (warmup < 0) {
            return "--warmup must be ≥ 0, was " + warmup;
        }
        if (limit < 0) {
            return "--limit must be ≥ 0 (0: every phrase), was " + limit;
        }
        return null;
    }

    /** The sets to say: the directory's when given, else the shipped ones named, each cut to {@code limit}. */
    static List<SpokenSet> spokenSets(Path directory, List<PhraseSet.Shipped> shipped, int limit)
            throws UnreadableAudioException {
        List<SpokenSet> spoken = new ArrayList<>();
        if (directory != null) {
            Path name = directory.toAbsolutePath().normalize().getFileName();
            spoken.add(new SpokenSet(name != null ? name.toString() : directory.toString(),
                    PhraseSet.directory(directory)));
        } else {
            for (PhraseSet.Shipped set : new LinkedHashSet<>(shipped)) {
                spoken.add(new SpokenSet(set.label(), set.load()));
            }
        }
        return limit == 0 ? spoken
                : spoken.stream().map(s -> new SpokenSet(s.name(), s.phrases().first(limit))).toList();
    }

    /**
     * What each caller says: {@code warmup} phrases from the top of the first set (round 0), then per round every
     * set's phrases, set after set.
     */
    static List<Planned> plan(List<SpokenSet> sets, int warmup, int rounds) {
        List<Planned> plan = new ArrayList<>();
        SpokenSet first = sets.get(0);
        List<PhraseSet.Phrase> top = first.phrases().phrases();
        for (int i = 0; i < warmup; i++) {
            plan.add(new Planned(first.name(), 0, i + 1, top.get(i % top.size())));
        }
        for (int round = 1; round <= rounds; round++) {
            for (SpokenSet set : sets) {
                List<PhraseSet.Phrase> list = set.phrases().phrases();
                for (int i = 0; i < list.size(); i++) {
                    plan.add(new Planned(set.name(), round, i + 1, list.get(i)));
                }
            }
        }
        return plan;
    }

    /** "27 synthetic + 10 human phrases". */
    static String describe(List<SpokenSet> sets) {
        return String.join(" + ", sets.stream().map(s -> s.phrases().size() + " " + s.name()).toList())
                + " phrases";
    }

    /** The session.start a caller sends for a phrase. */
    static SessionOptions options(EngineChoice engines, String profile, String reference) {
        SessionOptions options = SessionOptions.defaults().withVadProfile(profile);
        if (engines == EngineChoice.REAL) {
            return options.withEngines(REAL_ENGINES);
        }
        if (engines == EngineChoice.SIMULATED) {
            return options.withEngines(SessionConfig.Engines.simulated())
                    .withSimulation(Timings.KNOWN.simulation(reference, null));
        }
        return options;
    }

    /** The report's sample group: "1 session" or "N sessions". */
    static String group(int sessions) {
        return sessions == 1 ? "1 session" : sessions + " sessions";
    }

    /** Measured utterances by session, round and the order said (set after set, each in its list's order). */
    static List<Utterance> ordered(List<Utterance> utterances) {
        List<Utterance> copy;
        synchronized (utterances) {
            copy = new ArrayList<>(utterances);
        }
        // stable: within a session and round the order said is the list's order
        copy.sort(java.util.Comparator.comparingInt(Utterance::session).thenComparingInt(Utterance::round));
        return copy;
    }

    private static Double nanToNull(double value) {
        return Double.isNaN(value) ? null : value;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static final class ShippedSetConverter implements CommandLine.ITypeConverter<PhraseSet.Shipped> {
        @Override
        public PhraseSet.Shipped convert(String value) {
            for (PhraseSet.Shipped set : PhraseSet.Shipped.values()) {
                if (set.label().equalsIgnoreCase(value.trim())) {
                    return set;
                }
            }
            throw new CommandLine.TypeConversionException("unknown spoken set '" + value + "' (synthetic or human)");
        }
    }

    static final class EngineChoiceConverter implements CommandLine.ITypeConverter<EngineChoice> {
        @Override
        public EngineChoice convert(String value) {
            for (EngineChoice choice : EngineChoice.values()) {
                if (choice.label().equalsIgnoreCase(value.trim())) {
                    return choice;
                }
            }
            throw new CommandLine.TypeConversionException("unknown engines '" + value
                    + "' (real, simulated or default)");
        }
    }
}
