package dev.voxline.llm.chunking;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Cuts a streamed reply into pieces TTS can start speaking before the reply is complete: a
 * sentence as soon as it ends, or a clause at {@code , ; : —} once it is long enough to be worth a synthesis
 * request. Fed token by token; the rest is flushed at the end.
 *
 * <p>A sentence ends at {@code . ! ?} (optionally followed by closing quotes or brackets) followed by whitespace —
 * so the boundary is known only when the next token arrives — or by the end of the reply. Not at a decimal point
 * ("3.5"), nor after a known abbreviation ("e.g.", "Dr."). Commas, semicolons and colons need whitespace after
 * them too ("1,000" is a number); an em dash breaks wherever it is. Pure logic; one instance per reply.
 */
public final class SentenceChunker {

    public static final int DEFAULT_MIN_CLAUSE_CHARS = 20;

    /** Words that end with a period without ending the sentence (lower case, without the final period). */
    private static final Set<String> ABBREVIATIONS = Set.of(
            "e.g", "i.e", "cf", "vs", "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "approx", "dept",
            "fig", "corp", "vol", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
            "dec", "u.s", "u.k");

    private static final String CLOSERS = "\"')]}”’»";

    private final int minClauseChars;
    private final StringBuilder pending = new StringBuilder();
    /** Positions before this one in {@link #pending} are known not to be boundaries. */
    private int scanned;

    public SentenceChunker() {
        this(DEFAULT_MIN_CLAUSE_CHARS);
    }

    public SentenceChunker(int minClauseChars) {
        this.minClauseChars = minClauseChars;
    }

    /** Adds a token; returns the sentences and clauses it completed, trimmed, in order (often none). */
    public List<String> accept(String token) {
        pending.append(token);
        List<String> released = new ArrayList<>(1);
        int end;
        while ((end = nextBoundary()) > 0) {
            String chunk = pending.substring(0, end).strip();
            pending.delete(0, end);
            scanned = 0;
            if (!chunk.isEmpty()) {
                released.add(chunk);
            }
        }
        return released;
    }

    /** The end of the reply: whatever is left, trimmed, or null when nothing is. */
    public String flush() {
        String rest = pending.toString().strip();
        pending.setLength(0);
        scanned = 0;
        return rest.isEmpty() ? null : rest;
    }

    /** Text not yet released. */
    public String pending() {
        return pending.toString();
    }

    /**
     * The end (exclusive) of the first confirmed chunk in {@link #pending}, or -1. Stops at the first position
     * that cannot be decided before more text arrives.
     */
    private int nextBoundary() {
        int length = pending.length();
        for (int i = scanned; i < length; i++) {
            char c = pending.charAt(i);
            if (c == '—') {
                if (longEnough(i + 1)) {
                    return i + 1;
                }
                scanned = i + 1;
                continue;
            }
            boolean sentenceEnd = c == '.' || c == '!' || c == '?' || c == '…';
            boolean clauseEnd = c == ',' || c == ';' || c == ':';
            if (!sentenceEnd && !clauseEnd) {
                scanned = i + 1;
                continue;
            }
            int after = i + 1;
            if (sentenceEnd) {
                // "?!", "...", closing quotes and brackets stay with the sentence
                while (after < length && (isTerminal(pending.charAt(after))
                        || CLOSERS.indexOf(pending.charAt(after)) >= 0)) {
                    after++;
                }
            }
            if (after >= length) {
                scanned = i;
                return -1; // undecided until the next token (or the end of the reply)
            }
            boolean boundary = Character.isWhitespace(pending.charAt(after))
                    && (sentenceEnd ? !(c == '.' && isAbbreviation(i)) : longEnough(after));
            if (boundary) {
                return after;
            }
            scanned = after;
            i = after - 1;
        }
        return -1;
    }

    private boolean longEnough(int end) {
        return pending.substring(0, end).strip().length() >= minClauseChars;
    }

    private static boolean isTerminal(char c) {
        return c == '.' || c == '!' || c == '?' || c == '…';
    }

    /** Whether the period at {@code dot} ends a known abbreviation. */
    private boolean isAbbreviation(int dot) {
        int start = dot;
        while (start > 0 && !Character.isWhitespace(pending.charAt(start - 1))) {
            start--;
        }
        String word = pending.substring(start, dot).toLowerCase(Locale.ROOT);
        while (!word.isEmpty() && "\"'([{“‘«".indexOf(word.charAt(0)) >= 0) {
            word = word.substring(1);
        }
        return ABBREVIATIONS.contains(word);
    }
}
