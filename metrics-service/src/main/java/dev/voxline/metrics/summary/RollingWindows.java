package dev.voxline.metrics.summary;

import dev.voxline.contracts.Bounded;
import dev.voxline.contracts.event.VoiceEvent;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Rolling windows over the finished turns' reports, overall and per session: for each headline figure the statistics
 * of the last N turns (the guide's {@code get_performance_summary}, default 10) and of the last T seconds. Bounded:
 * at most {@code maxTurns} turns overall and {@code maxTurnsPerSession} for each of at most {@code maxSessions}
 * sessions (the least recently reported session forgotten first). Thread-safe (synchronized).
 */
public final class RollingWindows {

    /** The figures summarised, by their report field names. */
    static final Map<String, Function<VoiceEvent.TurnMetrics, Double>> FIGURES = figures();

    private final Clock clock;
    private final int maxTurns;
    private final int maxTurnsPerSession;
    private final Deque<Turn> overall = new ArrayDeque<>();
    private final Map<String, Deque<Turn>> sessions;

    private record Turn(long atMs, VoiceEvent.TurnMetrics report) {
    }

    public RollingWindows(Clock clock, int maxTurns, int maxTurnsPerSession, int maxSessions) {
        if (maxTurns < 1 || maxTurnsPerSession < 1 || maxSessions < 1) {
            throw new IllegalArgumentException("window bounds must be at least 1");
        }
        this.clock = clock;
        this.maxTurns = maxTurns;
        this.maxTurnsPerSession = maxTurnsPerSession;
        this.sessions = Bounded.recentlyUsed(maxSessions);
    }

    public synchronized void add(VoiceEvent.TurnMetrics report) {
        Turn turn = new Turn(clock.millis(), report);
        push(overall, turn, maxTurns);
        push(sessions.computeIfAbsent(report.sessionId(), id -> new ArrayDeque<>()), turn, maxTurnsPerSession);
    }

    /** Every session's turns together. */
    public synchronized Summary overall(int lastTurns, long lastSeconds) {
        return summarize(overall, lastTurns, lastSeconds);
    }

    /** One session's, or empty when no turn of it was reported (or it was forgotten). */
    public synchronized Optional<Summary> session(String sessionId, int lastTurns, long lastSeconds) {
        Deque<Turn> turns = sessions.get(sessionId);
        return turns == null ? Optional.empty() : Optional.of(summarize(turns, lastTurns, lastSeconds));
    }

    /**
     * One figure over every session's turns that are both among the last {@code lastTurns} and reported in the last
     * {@code lastMillis} (0 for either: no such bound), as an alert rule watches it; empty when none of those turns
     * has the figure.
     */
    public synchronized Optional<FigureWindow> figure(String figure, int lastTurns, long lastMillis) {
        Function<VoiceEvent.TurnMetrics, Double> field = FIGURES.get(figure);
        if (field == null) {
            throw new IllegalArgumentException("unknown figure: " + figure);
        }
        long since = lastMillis > 0 ? clock.millis() - lastMillis : Long.MIN_VALUE;
        int limit = lastTurns > 0 ? lastTurns : Integer.MAX_VALUE;
        List<Double> newestFirst = new ArrayList<>();
        Iterator<Turn> turns = overall.descendingIterator();
        for (int seen = 0; turns.hasNext() && seen < limit; seen++) {
            Turn turn = turns.next();
            if (turn.atMs() < since) {
                break; // older still from here on
            }
            Double value = field.apply(turn.report());
            if (value != null && value >= 0) {
                newestFirst.add(value);
            }
        }
        if (newestFirst.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new FigureWindow(Stats.of(newestFirst.stream().mapToDouble(Double::doubleValue).toArray()),
                newestFirst.get(0)));
    }

    /** The figures a window can summarise, by their report field names ({@code e2e}, {@code llm_ttft} …). */
    public static java.util.Set<String> figureNames() {
        return FIGURES.keySet();
    }

    /** One turn's figure, or null when the turn does not have it. */
    public static Double figureOf(VoiceEvent.TurnMetrics report, String figure) {
        Function<VoiceEvent.TurnMetrics, Double> field = FIGURES.get(figure);
        if (field == null) {
            throw new IllegalArgumentException("unknown figure: " + figure);
        }
        return field.apply(report);
    }

    /** A figure's statistics over a window, and its value in the window's newest turn that has it. */
    public record FigureWindow(Stats stats, double newest) {
    }

    /**
     * The two windows: {@code lastTurns} (n, the figures over the last n turns) and {@code lastSeconds} (the
     * figures over the turns reported in the last s seconds); a figure no turn of the window had is left out.
     */
    public record Summary(int turns, Window lastTurns, Window lastSeconds) {
    }

    /** One window: its size ({@code turns} or {@code seconds}), how many turns it held, the figures' statistics. */
    public record Window(Integer turns, Long seconds, int count, Map<String, Stats> figures) {
    }

    /** Statistics of one figure in a window, in its unit (milliseconds, or a ratio for {@code stt_rtf}). */
    public record Stats(int count, double avg, double min, double max, double p50, double p95, double p99) {

        static Stats of(double[] values) {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            double sum = 0;
            for (double v : sorted) {
                sum += v;
            }
            return new Stats(sorted.length, sum / sorted.length, sorted[0], sorted[sorted.length - 1],
                    percentile(sorted, 0.50), percentile(sorted, 0.95), percentile(sorted, 0.99));
        }

        /** Linear interpolation between the nearest ranks (R-7, NumPy's default) of ascending values. */
        static double percentile(double[] sorted, double p) {
            double position = (sorted.length - 1) * p;
            int lower = (int) Math.floor(position);
            int upper = Math.min(lower + 1, sorted.length - 1);
            return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
        }
    }

    private Summary summarize(Deque<Turn> turns, int lastTurns, long lastSeconds) {
        List<Turn> byCount = new ArrayList<>();
        Iterator<Turn> newestFirst = turns.descendingIterator();
        while (newestFirst.hasNext() && byCount.size() < lastTurns) {
            byCount.add(newestFirst.next());
        }
        long since = clock.millis() - lastSeconds * 1000;
        List<Turn> byTime = turns.stream().filter(t -> t.atMs() >= since).toList();
        return new Summary(turns.size(), new Window(lastTurns, null, byCount.size(), stats(byCount)),
                new Window(null, lastSeconds, byTime.size(), stats(byTime)));
    }

    private static Map<String, Stats> stats(List<Turn> turns) {
        Map<String, Stats> stats = new TreeMap<>();
        FIGURES.forEach((name, field) -> {
            double[] values = turns.stream().map(t -> field.apply(t.report())).filter(v -> v != null && v >= 0)
                    .mapToDouble(Double::doubleValue).toArray();
            if (values.length > 0) {
                stats.put(name, Stats.of(values));
            }
        });
        return stats;
    }

    private static void push(Deque<Turn> turns, Turn turn, int max) {
        if (turns.size() == max) {
            turns.removeFirst();
        }
        turns.addLast(turn);
    }

    private static Map<String, Function<VoiceEvent.TurnMetrics, Double>> figures() {
        Map<String, Function<VoiceEvent.TurnMetrics, Double>> figures = new LinkedHashMap<>();
        figures.put("eou_delay", VoiceEvent.TurnMetrics::eouDelay);
        figures.put("transcription_delay", VoiceEvent.TurnMetrics::transcriptionDelay);
        figures.put("stt_rtf", VoiceEvent.TurnMetrics::sttRtf);
        figures.put("llm_ttft", VoiceEvent.TurnMetrics::llmTtft);
        figures.put("first_clause_delay", VoiceEvent.TurnMetrics::firstClauseDelay);
        figures.put("tts_ttfb", VoiceEvent.TurnMetrics::ttsTtfb);
        figures.put("transport", VoiceEvent.TurnMetrics::transport);
        figures.put("e2e", VoiceEvent.TurnMetrics::e2e);
        return java.util.Collections.unmodifiableMap(figures); // in report order, for messages that list them
    }
}
