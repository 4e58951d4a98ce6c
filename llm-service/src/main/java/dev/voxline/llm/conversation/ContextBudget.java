package dev.voxline.llm.conversation;

/**
 * How much conversation one request carries: at most {@code maxMessages} user and assistant messages and at most
 * {@code maxTokens} estimated tokens ({@link TokenEstimate}) for the system prompt, the summary and those messages
 * together. The system prompt and the latest user message are kept even when they alone exceed it.
 */
public record ContextBudget(int maxMessages, int maxTokens) {

    public ContextBudget {
        maxMessages = Math.max(1, maxMessages);
        maxTokens = Math.max(1, maxTokens);
    }
}
