package dev.voxline.llm.conversation;

import dev.voxline.llm.engine.ChatRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A session's short conversation history: the system prompt plus the last {@code maxMessages} user and assistant
 * messages. Pruning to a token budget, summaries and persistence to voice.context come later (DESIGN.md §4).
 * Not thread-safe.
 */
public final class Conversation {

    private final String systemPrompt;
    private final int maxMessages;
    private final Deque<ChatRequest.Message> history = new ArrayDeque<>();

    public Conversation(String systemPrompt, int maxMessages) {
        this.systemPrompt = systemPrompt;
        this.maxMessages = Math.max(1, maxMessages);
    }

    /** Adds what the caller said and returns the request that continues the conversation from it. */
    public ChatRequest userSaid(String text) {
        add(new ChatRequest.Message(ChatRequest.USER, text));
        List<ChatRequest.Message> messages = new ArrayList<>(history.size() + 1);
        if (systemPrompt != null && !systemPrompt.isBlank()) {
            messages.add(new ChatRequest.Message(ChatRequest.SYSTEM, systemPrompt));
        }
        messages.addAll(history);
        return new ChatRequest(messages);
    }

    /**
     * The caller went on after a pause in the same turn: what they said before is replaced by {@code combinedText}
     * and anything the agent had started to answer in between is dropped (its generation was cancelled).
     */
    public ChatRequest userWentOn(String combinedText) {
        while (!history.isEmpty() && !ChatRequest.USER.equals(history.peekLast().role())) {
            history.removeLast();
        }
        if (!history.isEmpty()) {
            history.removeLast();
        }
        return userSaid(combinedText);
    }

    /** Adds the agent's reply (or the part of it generated before a cancel); blank replies are not kept. */
    public void agentSaid(String text) {
        if (text != null && !text.isBlank()) {
            add(new ChatRequest.Message(ChatRequest.ASSISTANT, text.strip()));
        }
    }

    public List<ChatRequest.Message> history() {
        return List.copyOf(history);
    }

    private void add(ChatRequest.Message message) {
        history.addLast(message);
        while (history.size() > maxMessages) {
            history.removeFirst();
        }
    }
}
