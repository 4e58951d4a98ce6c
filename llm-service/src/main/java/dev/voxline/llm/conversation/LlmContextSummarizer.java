package dev.voxline.llm.conversation;

import dev.voxline.llm.engine.ChatRequest;
import dev.voxline.llm.engine.LlmEngine;
import dev.voxline.llm.engine.LlmSettings;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Asks the session's own model (an OpenAI-compatible server) for the summary: one short, separate, streamed request
 * whose deltas are joined. The engine is non-blocking, so nothing waits on a thread; a summary that takes longer
 * than {@code timeout} is given up (the caller falls back).
 */
public final class LlmContextSummarizer implements ContextSummarizer {

    private final LlmEngine engine;
    private final int maxWords;
    private final Duration timeout;

    public LlmContextSummarizer(LlmEngine engine, int maxWords, Duration timeout) {
        this.engine = engine;
        this.maxWords = Math.max(10, maxWords);
        this.timeout = timeout;
    }

    @Override
    public Mono<String> summarize(List<ChatRequest.Message> dropped, String previousSummary) {
        return engine.streamText(request(dropped, previousSummary), new LlmSettings(null))
                .reduce(new StringBuilder(), StringBuilder::append)
                .map(text -> text.toString().strip())
                .filter(text -> !text.isEmpty())
                .timeout(timeout);
    }

    ChatRequest request(List<ChatRequest.Message> dropped, String previousSummary) {
        StringBuilder transcript = new StringBuilder();
        if (previousSummary != null && !previousSummary.isBlank()) {
            transcript.append("Summary so far: ").append(previousSummary.strip()).append("\n\n");
        }
        transcript.append("Conversation:\n");
        for (ChatRequest.Message message : dropped) {
            transcript.append(ChatRequest.USER.equals(message.role()) ? "Caller: " : "Assistant: ")
                    .append(message.content()).append('\n');
        }
        String instruction = "You keep the memory of a voice assistant's phone conversation. Write one summary, in "
                + "at most " + maxWords + " words, of the summary so far and the conversation below: keep every "
                + "name, number, fact, wish and decision the caller gave, drop small talk. Answer with the summary "
                + "alone, no preface.";
        return new ChatRequest(List.of(new ChatRequest.Message(ChatRequest.SYSTEM, instruction),
                new ChatRequest.Message(ChatRequest.USER, transcript.toString())));
    }
}
