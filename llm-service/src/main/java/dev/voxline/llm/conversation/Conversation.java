package dev.voxline.llm.conversation;

import dev.voxline.contracts.Bounded;
import dev.voxline.llm.engine.ChatRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A session's conversation context: the system prompt, a summary of older turns, and the latest user and assistant
 * messages within a {@link ContextBudget}. Messages that leave the budget wait in {@link #dropped()} until a summary
 * that covers them is applied ({@link #summarised}); until then they are still part of every {@link #snapshot()}, so
 * a restart loses nothing. Every change that matters bumps {@link #seq()} and calls the change listener. Not
 * thread-safe (the session's lock guards it).
 */
public final class Conversation {

    /** How the summary is introduced to the model, as a system message right after the system prompt. */
    static final String SUMMARY_PREFIX = "Summary of the earlier conversation: ";

    private final String systemPrompt;
    private final ContextBudget budget;
    /** The messages sent with every request, oldest first. */
    private final List<ChatRequest.Message> history = new ArrayList<>();
    /** Messages that left the budget and are not in the summary yet, oldest first. */
    private final List<ChatRequest.Message> dropped = new ArrayList<>();
    private String summary;
    private long seq;
    private Runnable onChange = () -> { };
    /** The assistant message of each recent generation, by identity, for {@link #agentHeard}. */
    private final Map<String, ChatRequest.Message> replies = Bounded.newestEntries(16);

    /** The last {@code maxMessages} messages, without a token budget. */
    public Conversation(String systemPrompt, int maxMessages) {
        this(systemPrompt, new ContextBudget(maxMessages, Integer.MAX_VALUE));
    }

    public Conversation(String systemPrompt, ContextBudget budget) {
        this.systemPrompt = systemPrompt;
        this.budget = budget;
    }

    /** Called after every change that a snapshot should record (the session publishes one). */
    public void onChange(Runnable listener) {
        this.onChange = listener != null ? listener : () -> { };
    }

    /** Adds what the caller said and returns the request that continues the conversation from it. */
    public ChatRequest userSaid(String text) {
        history.add(new ChatRequest.Message(ChatRequest.USER, text));
        prune();
        changed();
        return request();
    }

    /**
     * The caller went on after a pause in the same turn: what they said before is replaced by {@code combinedText}
     * and anything the agent had started to answer in between is dropped (its generation was cancelled).
     */
    public ChatRequest userWentOn(String combinedText) {
        while (!history.isEmpty() && !ChatRequest.USER.equals(history.get(history.size() - 1).role())) {
            history.remove(history.size() - 1);
        }
        if (!history.isEmpty()) {
            history.remove(history.size() - 1);
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
            ChatRequest.Message reply = new ChatRequest.Message(ChatRequest.ASSISTANT, text.strip());
            history.add(reply);
            if (generationId != null) {
                replies.put(generationId, reply);
            }
            prune();
            changed();
        }
    }

    /**
     * The caller heard only {@code heardText} of generation {@code generationId}'s reply (they interrupted it): the
     * conversation keeps just that, or nothing when they heard nothing. Returns false when that reply is no longer
     * in the context (neither in the history nor waiting for a summary).
     */
    public boolean agentHeard(String generationId, String heardText) {
        ChatRequest.Message said = replies.remove(generationId);
        if (said == null) {
            return false;
        }
        String heard = heardText == null ? "" : heardText.strip();
        boolean found = replaceByIdentity(history, said, heard) || replaceByIdentity(dropped, said, heard);
        if (found) {
            changed();
        }
        return found;
    }

    private static boolean replaceByIdentity(List<ChatRequest.Message> messages, ChatRequest.Message said,
                                             String heard) {
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i) == said) { // identity: the same words may have been said twice
                if (heard.isEmpty()) {
                    messages.remove(i);
                } else {
                    messages.set(i, new ChatRequest.Message(ChatRequest.ASSISTANT, heard));
                }
                return true;
            }
        }
        return false;
    }

    /** The user and assistant messages sent with the next request, oldest first (the summary is apart). */
    public List<ChatRequest.Message> history() {
        return List.copyOf(history);
    }

    /** What the older turns said, or null. */
    public String summary() {
        return summary;
    }

    /** Messages that left the budget and wait for a summary, oldest first. */
    public List<ChatRequest.Message> dropped() {
        return List.copyOf(dropped);
    }

    /** Grows with every change; carried by snapshots so the newest one wins. */
    public long seq() {
        return seq;
    }

    /**
     * A summary of the first {@code covered} {@link #dropped()} messages (and the earlier summary) arrived: it
     * replaces them. A blank one means they held nothing worth keeping: they go, the summary stays as it was.
     */
    public void summarised(int covered, String newSummary) {
        dropped.subList(0, Math.min(covered, dropped.size())).clear();
        if (newSummary != null && !newSummary.isBlank()) {
            summary = newSummary.strip();
        }
        prune(); // a longer summary takes room from the history
        changed();
    }

    /** The request the conversation stands at now (the system prompt, the summary, the history). */
    public ChatRequest request() {
        List<ChatRequest.Message> messages = new ArrayList<>(history.size() + 2);
        if (systemPrompt != null && !systemPrompt.isBlank()) {
            messages.add(new ChatRequest.Message(ChatRequest.SYSTEM, systemPrompt));
        }
        if (summary != null) {
            messages.add(new ChatRequest.Message(ChatRequest.SYSTEM, SUMMARY_PREFIX + summary));
        }
        messages.addAll(history);
        return new ChatRequest(messages);
    }

    /** What a restore needs: the summary and every message not folded into it (waiting ones first). */
    public Snapshot snapshot() {
        List<ChatRequest.Message> messages = new ArrayList<>(dropped.size() + history.size());
        messages.addAll(dropped);
        messages.addAll(history);
        return new Snapshot(seq, summary, List.copyOf(messages));
    }

    /** A conversation's state at {@code seq}. */
    public record Snapshot(long seq, String summary, List<ChatRequest.Message> messages) {
    }

    /**
     * Seeds the conversation from a snapshot another instance (or an earlier ownership of this one) published.
     * {@code wentOnWithout}: turns may have run here without it (the restore came late), so what happened since is
     * kept after the restored messages; otherwise a newer snapshot replaces what is here, an older one is ignored.
     * Returns true when the conversation changed.
     */
    public boolean restore(Snapshot restored, boolean wentOnWithout) {
        boolean merge = wentOnWithout && seq > 0;
        if (!merge && restored.seq() <= seq) {
            return false;
        }
        List<ChatRequest.Message> since = merge ? snapshot().messages() : List.of();
        String summarySince = merge ? summary : null;
        history.clear();
        dropped.clear();
        replies.clear();
        history.addAll(restored.messages());
        history.addAll(since);
        summary = restored.summary() == null ? summarySince
                : summarySince == null ? restored.summary() : restored.summary() + " " + summarySince;
        boolean pruned = prune();
        if (merge || pruned) {
            seq = Math.max(seq, restored.seq());
            changed(); // a new state: publish it
        } else {
            seq = restored.seq(); // exactly the published state
        }
        return true;
    }

    /**
     * Moves the oldest messages to {@link #dropped} while the history has more than the budget's messages or the
     * request more than its tokens; never the latest user message nor what follows it. Returns true if any moved.
     */
    private boolean prune() {
        int keepFrom = lastUserIndex();
        int removable = keepFrom < 0 ? history.size() - 1 : keepFrom;
        boolean any = false;
        int tokens = requestTokens();
        while (removable > 0 && (history.size() > budget.maxMessages() || tokens > budget.maxTokens())) {
            ChatRequest.Message oldest = history.remove(0);
            dropped.add(oldest);
            tokens -= TokenEstimate.of(oldest);
            removable--;
            any = true;
        }
        return any;
    }

    private int lastUserIndex() {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (ChatRequest.USER.equals(history.get(i).role())) {
                return i;
            }
        }
        return -1;
    }

    /** The estimated tokens of {@link #request()}. */
    public int requestTokens() {
        return TokenEstimate.of(request().messages());
    }

    private void changed() {
        seq++;
        onChange.run();
    }
}
