package dev.voxline.gateway.turn;

import java.util.ArrayList;
import java.util.List;

/**
 * The words of one turn's reply against its audio: each clause's first audio chunk names the clause (tts-service's
 * {@code vox-text} header), so the clause spans from its start to the next clause's start. What the caller heard up
 * to a position is every clause that ended before it, and of the clause being spoken the words whose share of its
 * characters fits in the share of its audio that was played — the gateway cannot hear the words, and speech rate is
 * close enough to uniform within a clause for word precision.
 *
 * <p>Pure logic, not thread-safe (the session serialises calls).
 */
public final class SpokenText {

    private record Clause(long startMs, String text) {
    }

    private final List<Clause> clauses = new ArrayList<>();

    /** The clause {@code text} starts at {@code startMs} of the turn's audio. */
    public void clauseStarts(long startMs, String text) {
        if (text != null && !text.isBlank()) {
            clauses.add(new Clause(startMs, text.strip()));
        }
    }

    /** Every clause, as spoken. */
    public String all() {
        return String.join(" ", clauses.stream().map(Clause::text).toList());
    }

    /** The words heard when playback stopped at {@code playedMs} of {@code audioMs}. */
    public String heard(long playedMs, long audioMs) {
        StringBuilder heard = new StringBuilder();
        for (int i = 0; i < clauses.size(); i++) {
            Clause clause = clauses.get(i);
            if (playedMs <= clause.startMs) {
                break;
            }
            long endMs = i + 1 < clauses.size() ? clauses.get(i + 1).startMs : Math.max(audioMs, clause.startMs);
            String part = endMs <= playedMs ? clause.text
                    : wordsWithin(clause.text, (double) (playedMs - clause.startMs) / (endMs - clause.startMs));
            if (!part.isEmpty()) {
                if (heard.length() > 0) {
                    heard.append(' ');
                }
                heard.append(part);
            }
            if (endMs > playedMs) {
                break;
            }
        }
        return heard.toString();
    }

    /** The leading words of {@code text} that end within {@code share} of its characters. */
    static String wordsWithin(String text, double share) {
        int limit = (int) Math.floor(text.length() * Math.max(0, Math.min(1, share)));
        int end = 0;
        int i = 0;
        while (i < text.length()) {
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            int wordEnd = i;
            while (wordEnd < text.length() && !Character.isWhitespace(text.charAt(wordEnd))) {
                wordEnd++;
            }
            if (wordEnd == i || wordEnd > limit) {
                break;
            }
            end = wordEnd;
            i = wordEnd;
        }
        return text.substring(0, end);
    }
}
