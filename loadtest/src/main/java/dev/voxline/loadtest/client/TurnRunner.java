package dev.voxline.loadtest.client;

import dev.voxline.contracts.event.VoiceEvent;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Says one request N times, one turn after another (after some warm-up turns that are not counted), in one session
 * or a new session per turn, and collects the measured turns and the problems. Shared by the latency benchmarks
 * ({@code bench clock}, {@code bench overhead}).
 *
 * @param url            the gateway's talk endpoint
 * @param options        the session's options (timings …)
 * @param request        what to say each turn
 * @param warmup         turns said first and not counted
 * @param turns          measured turns
 * @param sessionPerTurn a new session for every turn instead of one session
 */
public record TurnRunner(URI url, SessionOptions options, TalkRequest request, int warmup, int turns,
                         boolean sessionPerTurn) {

    public TurnRunner {
        if (turns < 1 || warmup < 0) {
            throw new IllegalArgumentException("turns must be ≥ 1 and warm-up ≥ 0");
        }
    }

    /** The measured turns (warm-up left out) and how many problems there were (no turn, errors, timeouts). */
    public record Outcome(List<TurnResult> measured, int problems) {
    }

    /**
     * Runs every turn; {@code line} hears one line per turn, problem or error, labelled {@code warm-up} or
     * {@code   3/20}.
     *
     * @throws TalkException when the session cannot be opened or fails as a whole
     */
    public Outcome run(Consumer<String> line, java.util.function.Function<TurnResult, String> format) {
        List<TurnResult> measured = new ArrayList<>();
        int problems = 0;
        TalkSession session = null;
        try {
            for (int i = 1; i <= warmup + turns; i++) {
                if (session == null) {
                    session = TalkSession.connect(url, options);
                }
                TalkResult result = session.run(request);
                boolean counted = i > warmup;
                String label = counted ? String.format(Locale.ROOT, "%3d/%d", i - warmup, turns) : "warm-up";
                for (TurnResult turn : result.turns()) {
                    line.accept(label + " " + format.apply(turn));
                    if (counted) {
                        measured.add(turn);
                    }
                }
                problems += problems(result, label, line);
                if (sessionPerTurn) {
                    session.close();
                    session = null;
                }
            }
        } finally {
            if (session != null) {
                session.close();
            }
        }
        return new Outcome(measured, problems);
    }

    /** The problems of one request's result, each told to {@code line}: no turn, server errors, an unfinished run. */
    public static int problems(TalkResult result, String label, Consumer<String> line) {
        int problems = 0;
        if (result.turns().isEmpty()) {
            problems++;
            line.accept(label + " no turn: " + result.problem());
        }
        for (VoiceEvent.Error error : result.errors()) {
            problems++;
            line.accept(label + " server error " + error.code() + ": " + error.message());
        }
        if (result.problem() != null && !result.turns().isEmpty()) {
            problems++;
            line.accept(label + " " + result.problem());
        }
        return problems;
    }
}
