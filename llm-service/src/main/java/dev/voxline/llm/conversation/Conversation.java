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
    /** The assistant message of each recent generation, by identity, for {@link #agentHeard}. */
    private final java.util.Map<String, ChatRequest.Message> replies = new java.util.LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, ChatRequest.Message> eldest) {
            return size() > 16;
        }
    };

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
        agentSaid(null, text);
    }

    /**
     * Adds the agent's reply of generation {@code generationId}, so that what the caller actually heard of it can
     * replace it later ({@link #agentHeard}).
     */
    public void agentSaid(String generationId, String text) {
        if (text != null && !text.isBlank()) {
            add(new ChatRequest.Message(ChatRequest.ASSISTANT, text.strip()));
            if (generationId != null) {
                replies.put(generationId, history.peekLast());
            }
        }
    }

    /**
     * The caller heard only {@code heardText} of generation {@code generationId}'s reply (they interrupted it): the
     * conversation keeps just that, or nothing when they heard nothing. Returns false when that reply is no longer
     * in the history.
     */
    public boolean agentHeard(String generationId, String heardText) {
        ChatRequest.Message said = replies.remove(generationId);
        if (said == null) {
            return false;
        }
        String heard = heardText == null ? "" : heardText.strip();
        java.util.List<ChatRequest.Message> all = new java.util.ArrayList<>(history);
        boolean found = false;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i) == said) { // identity: the same words may have been said twice
                found = true;
                if (heard.isEmpty()) {
                    all.remove(i);
                } else {
                    all.set(i, new ChatRequest.Message(ChatRequest.ASSISTANT, heard));
                }
                break;
            }
        }
        if (found) {
            history.clear();
            history.addAll(all);
        }
        return found;
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
