package dev.voxline.llm.conversation;

import dev.voxline.llm.engine.ChatRequest;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Folds messages that left a conversation's budget into its summary. The result replaces {@code previousSummary}
 * (it must carry forward what that said). Never called on a turn's path: the session applies the summary whenever
 * it arrives, and an empty or failed one leaves the context as it was.
 */
public interface ContextSummarizer {

    /**
     * @param dropped         the messages to fold in, oldest first
     * @param previousSummary the summary so far, or null
     * @return the new summary; blank or empty: the dropped messages held nothing worth keeping
     */
    Mono<String> summarize(List<ChatRequest.Message> dropped, String previousSummary);
}
