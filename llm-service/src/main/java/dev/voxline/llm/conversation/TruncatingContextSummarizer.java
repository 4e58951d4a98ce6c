package dev.voxline.llm.conversation;

import dev.voxline.llm.engine.ChatRequest;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * The summary without a real model (the built-in assistant, the simulated engine): dropped turns are removed, and
 * one line keeps the first words of what the caller said in them ("Earlier the caller said: my name is Ada; …"),
 * at most {@code maxChars}, the earliest kept (names and purposes tend to come first).
 */
public final class TruncatingContextSummarizer implements ContextSummarizer {

    static final String PREFIX = "Earlier the caller said: ";
    private static final int WORDS_PER_MESSAGE = 8;

    private final int maxChars;

    public TruncatingContextSummarizer(int maxChars) {
        this.maxChars = Math.max(PREFIX.length() + 10, maxChars);
    }

    @Override
    public Mono<String> summarize(List<ChatRequest.Message> dropped, String previousSummary) {
        return Mono.fromSupplier(() -> line(dropped, previousSummary));
    }

    String line(List<ChatRequest.Message> dropped, String previousSummary) {
        List<String> parts = new ArrayList<>();
        if (previousSummary != null && !previousSummary.isBlank()) {
            String previous = previousSummary.strip();
            parts.add(previous.startsWith(PREFIX) ? previous.substring(PREFIX.length()) : previous);
        }
        for (ChatRequest.Message message : dropped) {
            if (ChatRequest.USER.equals(message.role()) && message.content() != null && !message.content().isBlank()) {
                parts.add(firstWords(message.content().strip()));
            }
        }
        if (parts.isEmpty()) {
            return previousSummary == null ? "" : previousSummary; // only replies left: nothing more to keep
        }
        String line = PREFIX + String.join("; ", parts);
        return line.length() <= maxChars ? line : line.substring(0, maxChars - 1).strip() + "…";
    }

    private static String firstWords(String text) {
        String[] words = text.split("\\s+");
        if (words.length <= WORDS_PER_MESSAGE) {
            return text.replaceAll("[.!?…;]+$", "");
        }
        return String.join(" ", java.util.Arrays.copyOf(words, WORDS_PER_MESSAGE)) + " …";
    }
}
