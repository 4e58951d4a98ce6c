package dev.voxline.llm.turn;

import dev.voxline.llm.engine.ChatRequest;
import java.util.List;

/**
 * How likely the caller has finished their turn, given what they said so far (and the conversation before it). A
 * rule set ({@link TranscriptRules}) implements it today; a turn-detection model (such as LiveKit's end-of-utterance
 * model) can implement the same method later and the {@link EndpointingPolicy} turns its answer into a wait.
 */
public interface EndOfTurnDetector {

    /** 0 = the thought obviously goes on … 1 = the turn is obviously complete. */
    double endOfTurnProbability(String transcript, List<ChatRequest.Message> history);

    /** A short name for logs and metrics. */
    String name();
}
