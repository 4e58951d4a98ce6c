package dev.voxline.loadtest.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Word error rate: the word-level Levenshtein distance between a reference and what was heard (substitutions +
 * deletions + insertions, each costing 1) over the number of reference words. Several utterances are pooled the
 * usual way, Σ edits / Σ reference words, not as a mean of per-utterance rates (a short utterance would weigh as
 * much as a long one).
 *
 * <p>Both texts are normalised first: lower case; apostrophes removed ("let's" = "lets", "I'm" = "im", so an
 * engine's spelling of a contraction does not count); every other character that is not a letter or a digit is a
 * word break (punctuation, hyphens: "twenty-one" = "twenty one"). Digits and number words are left alone: "7" and
 * "seven" are different words, as are "ok" and "okay" — the benchmark's references spell numbers as words, as Vosk
 * writes them, so a mismatch there is the engine's.
 */
public final class WordErrorRate {

    private static final Pattern APOSTROPHES = Pattern.compile("['’`]");
    private static final Pattern NOT_A_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    private WordErrorRate() {
    }

    /** The words of {@code text} after normalisation; empty for null or blank text. */
    public static List<String> words(String text) {
        if (text == null) {
            return List.of();
        }
        String lower = APOSTROPHES.matcher(text.toLowerCase(Locale.ROOT)).replaceAll("");
        String spaced = NOT_A_WORD.matcher(lower).replaceAll(" ").strip();
        return spaced.isEmpty() ? List.of() : Arrays.asList(spaced.split(" "));
    }

    /** Aligns what was heard with the reference, both normalised. */
    public static Alignment align(String reference, String heard) {
        return align(words(reference), words(heard));
    }

    /**
     * A minimum-edit alignment of two word sequences. Among alignments with the fewest edits, the backtrace prefers
     * a match or substitution, then a deletion, then an insertion, so the breakdown is deterministic.
     */
    public static Alignment align(List<String> reference, List<String> heard) {
        int n = reference.size();
        int m = heard.size();
        int[][] d = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= m; j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                int diagonal = d[i - 1][j - 1] + (reference.get(i - 1).equals(heard.get(j - 1)) ? 0 : 1);
                d[i][j] = Math.min(diagonal, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
            }
        }
        int substitutions = 0;
        int deletions = 0;
        int insertions = 0;
        int i = n;
        int j = m;
        while (i > 0 || j > 0) {
            if (i > 0 && j > 0) {
                boolean same = reference.get(i - 1).equals(heard.get(j - 1));
                if (d[i][j] == d[i - 1][j - 1] + (same ? 0 : 1)) {
                    if (!same) {
                        substitutions++;
                    }
                    i--;
                    j--;
                    continue;
                }
            }
            if (i > 0 && d[i][j] == d[i - 1][j] + 1) {
                deletions++;
                i--;
            } else {
                insertions++;
                j--;
            }
        }
        return new Alignment(n, m, substitutions, deletions, insertions);
    }

    /** The word error rate of one utterance (see {@link Alignment#rate()}). */
    public static double of(String reference, String heard) {
        return align(reference, heard).rate();
    }

    /** Σ edits / Σ reference words over the utterances; NaN when there are no reference words at all. */
    public static double pooled(Collection<Alignment> alignments) {
        return pooled(total(alignments));
    }

    /** A total's pooled rate: its {@link Alignment#rate()}, but NaN when there are no reference words at all. */
    public static double pooled(Alignment total) {
        return total.referenceWords() == 0 ? Double.NaN : total.rate();
    }

    /** The utterances' counts added up (see {@link #pooled(Alignment)} for its rate). */
    public static Alignment total(Collection<Alignment> alignments) {
        int referenceWords = 0;
        int heardWords = 0;
        int substitutions = 0;
        int deletions = 0;
        int insertions = 0;
        for (Alignment a : alignments) {
            referenceWords += a.referenceWords();
            heardWords += a.heardWords();
            substitutions += a.substitutions();
            deletions += a.deletions();
            insertions += a.insertions();
        }
        return new Alignment(referenceWords, heardWords, substitutions, deletions, insertions);
    }

    /**
     * The edits that turn the reference into what was heard.
     *
     * @param referenceWords words in the (normalised) reference
     * @param heardWords     words in the (normalised) transcript
     */
    public record Alignment(int referenceWords, int heardWords, int substitutions, int deletions, int insertions) {

        public Alignment {
            if (referenceWords < 0 || heardWords < 0 || substitutions < 0 || deletions < 0 || insertions < 0) {
                throw new IllegalArgumentException("counts must not be negative");
            }
            if (substitutions + deletions > referenceWords || substitutions + insertions > heardWords) {
                throw new IllegalArgumentException("more edits than words");
            }
            if (referenceWords - deletions != heardWords - insertions) {
                throw new IllegalArgumentException("the words left after the edits must be the same in both");
            }
        }

        public int edits() {
            return substitutions + deletions + insertions;
        }

        public int correctWords() {
            return referenceWords - substitutions - deletions;
        }

        /**
         * edits / reference words; above 1 when many words were inserted. With an empty reference: 0 when nothing
         * was heard either, NaN otherwise (undefined).
         */
        public double rate() {
            if (referenceWords == 0) {
                return heardWords == 0 ? 0.0 : Double.NaN;
            }
            return edits() / (double) referenceWords;
        }

        /** e.g. "2/6 (1 sub, 1 del, 0 ins)". */
        public String describe() {
            return String.format(Locale.ROOT, "%d/%d (%d sub, %d del, %d ins)", edits(), referenceWords,
                    substitutions, deletions, insertions);
        }
    }

    /** Collects alignments and answers with the pooled rate. Not thread-safe. */
    public static final class Pool {
        private final List<Alignment> alignments = new ArrayList<>();

        public Alignment add(String reference, String heard) {
            Alignment a = align(reference, heard);
            alignments.add(a);
            return a;
        }

        public Alignment total() {
            return WordErrorRate.total(alignments);
        }

        public double rate() {
            return pooled(alignments);
        }

        public int utterances() {
            return alignments.size();
        }
    }
}
