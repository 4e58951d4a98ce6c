package dev.voxline.loadtest.report;

import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.loadtest.client.TalkResult;
import dev.voxline.loadtest.client.TurnResult;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One phrase said by one caller in the latency benchmark, and what came of it.
 *
 * @param set       the spoken set the phrase belongs to ("synthetic", "human", or a directory's)
 * @param session   the caller (1-based)
 * @param round     the time through the phrase list (1-based; 0 for warm-up)
 * @param phrase    the phrase's name (its file name)
 * @param reference what the phrase says
 * @param result    the run's turns and problems
 */
public record Utterance(String set, int session, int round, String phrase, String reference, TalkResult result) {

    public List<TurnResult> turns() {
        return result.turns();
    }

    /** The final transcripts of the run's turns, joined (a phrase the VAD split is heard as one). */
    public String heard() {
        return result.turns().stream().map(TurnResult::transcript).filter(t -> t != null && !t.isBlank())
                .map(String::strip).collect(Collectors.joining(" "));
    }

    public WordErrorRate.Alignment alignment() {
        return WordErrorRate.align(reference, heard());
    }

    /** What went wrong, for a person; empty when every turn finished without errors and reported its metrics. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (result.problem() != null) {
            problems.add(result.problem());
        }
        if (result.turns().isEmpty() && result.problem() == null) {
            problems.add("no turn");
        }
        for (VoiceEvent.Error error : result.errors()) {
            problems.add("server error " + error.code() + ": " + error.message());
        }
        for (TurnResult turn : result.turns()) {
            if (!turn.finished()) {
                problems.add(turn.turnId() + " did not finish");
            }
            if (turn.metrics() == null) {
                problems.add(turn.turnId() + " has no turn.metrics");
            }
        }
        return problems;
    }

    public boolean failed() {
        return !problems().isEmpty();
    }
}
