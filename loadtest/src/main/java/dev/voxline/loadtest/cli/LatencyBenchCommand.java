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
import dev.voxline.loadtest.report.LatencyBenchReport;
import dev.voxline.loadtest.report.LatencyLine;
import dev.voxline.loadtest.report.Percentiles;
import dev.voxline.loadtest.report.Utterance;
import dev.voxline.loadtest.report.WordErrorRate;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./voxline bench latency}: says each phrase of a spoken phrase set as one turn (LiveKit's
 * {@code test_response_latency}), prints what was heard next to what was said and each turn's latency line, then the
 * figures' n / p50 / p95 / mean, the pooled word error rate, the guide's tiers and a per-phrase table, and writes the
 * run as a {@link BenchReport}.
 */
@Command(name = "latency", mixinStandardHelpOptions = true,
        description = {"Say each phrase of a spoken phrase set (24+ espeak-ng phrases: questions the built-in "
                + "assistant answers and sentences it repeats back) as one turn and print, per phrase, the reference "
                + "next to the transcript and the turn's latency line, then n/p50/p95/mean of eou_delay, "
                + "transcription_delay, llm_ttft, first_clause_delay, tts_ttfb, e2e, transport, the client's E2E, "
                + "stt_rtf and the VAD's ms per window, the pooled WER and the guide's tiers.",
                "--engines simulated needs the gateway started with ./voxline up --allow-test-settings."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every measured phrase gave finished turns with turn.metrics", "1:a phrase failed (no "
                + "turn, server error, timeout, no turn.metrics) or no gateway", "2:bad command line"})
public final class LatencyBenchCommand implements Callable<Integer> {

    /** The real local engines, named so the run measures them whatever the server's defaults are. */
    static final SessionConfig.Engines REAL_ENGINES = new SessionConfig.Engines("silero", "vosk", "builtin",
            "marytts");
    static final List<String> PROFILES = List.of("low-latency", "high-accuracy");
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
    }

    /** One phrase to say: {@code round} 0 is warm-up (not counted). */
    record Planned(int round, int position, PhraseSet.Phrase phrase) {
        boolean warmup() {
            return round == 0;
        }
    }

    @Option(names = "--engines", defaultValue = "real", paramLabel = "real|simulated|default",
            converter = EngineChoiceConverter.class,
            description = "real (silero, vosk, builtin, marytts), simulated (known timings, the reference as the "
                    + "transcript; needs --allow-test-settings) or default (the server's) (default: ${DEFAULT-VALUE})")
    private EngineChoice engines;

    @Option(names = "--profile", defaultValue = "low-latency", paramLabel = "low-latency|high-accuracy",
            description = "the VAD profile (default: ${DEFAULT-VALUE})")
    private String profile;

    @Option(names = "--sessions", defaultValue = "1", paramLabel = "N", description = "concurrent callers, started "
            + "0.5 s apart, each saying the whole list (default: ${DEFAULT-VALUE})")
    private int sessions;

    @Option(names = "--rounds", defaultValue = "1", paramLabel = "R", description = "times through the phrase list "
            + "(default: ${DEFAULT-VALUE})")
    private int rounds;

    @Option(names = "--warmup", defaultValue = "2", paramLabel = "W", description = "phrases said first by each "
            + "caller and not counted (default: ${DEFAULT-VALUE})")
    private int warmup;

    @Option(names = "--url", defaultValue = "ws://localhost:8080/v1/talk", description = "the gateway (default: "
            + "${DEFAULT-VALUE})")
    private URI url;

    @Option(names = "--out", defaultValue = "bench-results", paramLabel = "DIR", description = "where the report "
            + "(JSON + HTML) goes (default: ${DEFAULT-VALUE})")
    private Path outDir;

    @Option(names = "--phrases", paramLabel = "DIR", description = "a phrase set of your own: DIR/phrases.tsv "
            + "(file name TAB reference text) and its WAV files (default: the shipped set)")
    private Path phrasesDir;

    @Option(names = "--timeout", defaultValue = "60s", converter = Durations.class, description = "per phrase: how "
            + "long to wait for the reply after the audio was sent (default: ${DEFAULT-VALUE}; a long reply plays "
            + "in real time)")
    private Duration timeout;

    @Option(names = "--metrics-wait", defaultValue = "12s", converter = Durations.class, description = "how long to "
            + "wait for turn.metrics after a turn's audio is done (default: ${DEFAULT-VALUE})")
    private Duration metricsWait;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String invalid = validate(sessions, rounds, warmup, profile);
        if (invalid != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), invalid);
        }
        PhraseSet phrases;
        try {
            phrases = phrasesDir != null ? PhraseSet.directory(phrasesDir) : PhraseSet.shipped();
        } catch (UnreadableAudioException e) {
            err.println("voxline bench: " + e.getMessage());
            return 1;
        }
        List<Planned> plan = plan(phrases, warmup, rounds);
        String group = group(sessions);
        String settingsLine = String.format(Locale.ROOT, "latency benchmark: %d phrases × %d round%s × %d session%s "
                        + "(+%d warm-up each), engines %s, profile %s, %s", phrases.size(), rounds,
                rounds == 1 ? "" : "s", sessions, sessions == 1 ? "" : "s", warmup, engines.label(), profile, url);
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
                    String failure = caller(session, plan, phrases.size(), measured, out);
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
        long failed = utterances.stream().filter(Utterance::failed).count();
        int turns = LatencyBenchReport.turns(utterances).size();
        long withMetrics = LatencyBenchReport.turns(utterances).stream().filter(t -> t.metrics() != null).count();
        // a report metrics-service completed by its timeout: counted, but some figures of the turn are missing
        long incomplete = LatencyBenchReport.turns(utterances).stream()
                .filter(t -> t.metrics() != null && t.metrics().reason() != null).count();
        String table = LatencyBenchReport.table(utterances);
        String werLine = LatencyBenchReport.werLine(utterances);
        String tiersLine = LatencyBenchReport.tiersLine(utterances);
        String phraseTable = LatencyBenchReport.phraseTable(utterances);
        out.println();
        out.printf(Locale.ROOT, "%d measured utterances (%s), %d turns, %d with turn.metrics (%d incomplete), %d "
                + "failed%n", utterances.size(), group, turns, withMetrics, incomplete, failed);
        out.print(table);
        out.println(werLine);
        out.println(tiersLine);
        out.println();
        out.print(phraseTable);
        out.flush();

        fill(report, group, utterances, plan, phrases);
        report.result("failed utterances", failed).result("incomplete turn.metrics", incomplete)
                .result("wer line", werLine).result("tiers", tiersLine);
        callerFailures.forEach(report::note);
        try {
            BenchReport.Written written = report.write(outDir);
            out.println();
            out.println("report: " + written.json() + " and " + written.html());
        } catch (RuntimeException e) {
            err.println("voxline bench: could not write the report into " + outDir + ": " + e.getMessage());
            return 1;
        }
        out.flush();
        boolean ok = failed == 0 && callerFailures.isEmpty() && !utterances.isEmpty()
                && utterances.size() == sessions * rounds * phrases.size();
        return ok ? 0 : 1;
    }

    /** One caller saying the plan; returns why it stopped early, or null. */
    private String caller(int session, List<Planned> plan, int listSize, List<Utterance> measured, PrintWriter out) {
        TalkSession talk = null;
        try {
            for (Planned item : plan) {
                TalkResult result;
                try {
                    if (talk == null || engines == EngineChoice.SIMULATED) {
                        if (talk != null) {
                            talk.close();
                        }
                        talk = TalkSession.connect(url, options(engines, profile, item.phrase().reference()));
                    }
                    result = talk.run(TalkRequest.audio(item.phrase().audio()).withReplyTimeout(timeout)
                            .withMetricsWait(metricsWait));
                } catch (TalkException e) {
                    if (talk != null) {
                        talk.close();
                        talk = null;
                    }
                    result = new TalkResult(null, List.of(), List.of(), e.getMessage());
                    if (e.getMessage() != null && e.getMessage().startsWith("no gateway")) {
                        print(out, session, item, listSize, new Utterance(session, item.round(), item.phrase().name(),
                                item.phrase().reference(), result));
                        return e.getMessage();
                    }
                }
                Utterance utterance = new Utterance(session, item.round(), item.phrase().name(),
                        item.phrase().reference(), result);
                print(out, session, item, listSize, utterance);
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

    private void print(PrintWriter out, int session, Planned item, int listSize, Utterance u) {
        String label = item.warmup() ? String.format(Locale.ROOT, "s%d warm-up    ", session)
                : String.format(Locale.ROOT, "s%d r%d %3d/%d", session, item.round(), item.position(), listSize);
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

    private void fill(BenchReport report, String group, List<Utterance> utterances, List<Planned> plan,
                      PhraseSet phrases) {
        report.setting("engines", engines.label())
                .setting("engine names", engines == EngineChoice.REAL ? REAL_ENGINES.toString()
                        : engines == EngineChoice.SIMULATED ? "simulated, timings known, reference as transcript, a "
                        + "session per utterance" : "the server's defaults")
                .setting("vad profile", profile)
                .setting("sessions", sessions)
                .setting("rounds", rounds)
                .setting("warm-up phrases per session", warmup)
                .setting("phrases", phrases.size())
                .setting("phrase set", phrases.source())
                .setting("url", url.toString())
                .setting("reply timeout ms", timeout.toMillis())
                .setting("said per session", plan.size());
        for (LatencyBenchReport.Row row : LatencyBenchReport.rows(utterances)) {
            LatencyBenchReport.Figure f = row.figure();
            report.samples(group, f.name(), f.unit().isEmpty() ? "ratio" : f.unit(), row.samples());
        }
        List<List<String>> rows = new ArrayList<>();
        for (LatencyBenchReport.Row row : LatencyBenchReport.rows(utterances)) {
            Percentiles.Summary s = row.summary();
            LatencyBenchReport.Figure f = row.figure();
            rows.add(List.of(f.name(), f.unit().isEmpty() ? "ratio" : f.unit(), Integer.toString(s.count()),
                    f.format(s.p50()), f.format(s.p95()), f.format(s.mean())));
        }
        report.table(new BenchReport.Table("latency (" + group + ")", List.of("figure", "unit", "n", "p50", "p95",
                "mean"), rows));
        List<List<String>> phraseRows = new ArrayList<>();
        for (LatencyBenchReport.PhraseRow row : LatencyBenchReport.phraseRows(utterances)) {
            double rate = WordErrorRate.pooled(row.words());
            phraseRows.add(List.of(row.phrase(), row.reference(), Integer.toString(row.utterances()),
                    Double.isNaN(rate) ? "–" : String.format(Locale.ROOT, "%.1f %%", 100 * rate),
                    row.words().describe(), LatencyLine.ms(nanToNull(row.e2e().p50())),
                    LatencyLine.ms(nanToNull(row.ttsTtfb().p50())), Integer.toString(row.failed()), row.lastHeard()));
        }
        report.table(new BenchReport.Table("per phrase", List.of("phrase", "reference", "n", "WER", "edits",
                "e2e p50 ms", "tts_ttfb p50 ms", "failed", "heard (last)"), phraseRows));
        WordErrorRate.Alignment words = LatencyBenchReport.words(utterances);
        Percentiles.Summary e2e = summary(utterances, "e2e");
        Percentiles.Summary ttfb = summary(utterances, "tts_ttfb");
        report.result("utterances", utterances.size())
                .result("wer", nanToNull(WordErrorRate.pooled(words)))
                .result("wer edits", words.edits())
                .result("wer reference words", words.referenceWords())
                .result("e2e p50 ms", nanToNull(e2e.p50()))
                .result("tts_ttfb p50 ms", nanToNull(ttfb.p50()));
        report.note("WER: word-level Levenshtein distance, pooled (Σ edits / Σ reference words); texts lower-cased, "
                + "apostrophes removed, other punctuation a word break; digits and number words are different "
                + "words (the references spell numbers as words).");
        report.note("Tiers (the guide): e2e excellent < 500 ms, good < 800 ms; tts_ttfb excellent < 150 ms, "
                + "good < 200 ms.");
    }

    private static Percentiles.Summary summary(List<Utterance> utterances, String figure) {
        return Percentiles.summarize(LatencyBenchReport.samples(LatencyBenchReport.turns(utterances),
                LatencyBenchReport.figure(figure)));
    }

    // ---- pure parts (tested)

    /** Why the options cannot run, or null. */
    static String validate(int sessions, int rounds, int warmup, String profile) {
        if (sessions < 1 || sessions > MAX_SESSIONS) {
            return "--sessions must be between 1 and " + MAX_SESSIONS + ", was " + sessions;
        }
        if (rounds < 1) {
            return "--rounds must be ≥ 1, was " + rounds;
        }
        if (warmup < 0) {
            return "--warmup must be ≥ 0, was " + warmup;
        }
        if (!PROFILES.contains(profile)) {
            return "--profile must be one of " + String.join(", ", PROFILES) + ", was '" + profile + "'";
        }
        return null;
    }

    /** What each caller says: {@code warmup} phrases from the top of the list (round 0), then each round's list. */
    static List<Planned> plan(PhraseSet phrases, int warmup, int rounds) {
        List<Planned> plan = new ArrayList<>();
        List<PhraseSet.Phrase> list = phrases.phrases();
        for (int i = 0; i < warmup; i++) {
            plan.add(new Planned(0, i + 1, list.get(i % list.size())));
        }
        for (int round = 1; round <= rounds; round++) {
            for (int i = 0; i < list.size(); i++) {
                plan.add(new Planned(round, i + 1, list.get(i)));
            }
        }
        return plan;
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

    /** Measured utterances by session, round and position in the list. */
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
