package dev.voxline.llm.turn;

import dev.voxline.llm.engine.ChatRequest;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * End-of-turn rules on the words alone (English), for recognisers that give no punctuation: a clause that ends on a
 * word that needs a continuation — a conjunction, preposition, article, possessive or filler ("I want to book a",
 * "and so my fellow Americans and") — is very likely unfinished; a question (it starts with a question word or an
 * auxiliary and has a few words) or terminal punctuation is very likely complete; short social phrases ("thank you",
 * "hello") are complete. Everything else is undecided (0.5), and the per-caller adaptive delay decides.
 */
public final class TranscriptRules implements EndOfTurnDetector {

    static final double UNFINISHED = 0.05;
    static final double UNDECIDED = 0.5;
    static final double COMPLETE = 0.9;

    private static final Set<String> CONTINUATIONS = Set.of(
            // conjunctions
            "and", "or", "but", "so", "because", "cause", "if", "when", "while", "although", "though", "unless",
            "until", "since", "whether", "than", "then", "that", "which", "who", "whose", "where",
            // prepositions
            "to", "of", "in", "on", "at", "for", "with", "from", "by", "about", "into", "onto", "over", "under",
            "after", "before", "between", "through", "without", "like", "as", "near", "around",
            // articles, determiners, possessives
            "a", "an", "the", "this", "these", "those", "my", "your", "his", "her", "our", "their", "its", "some",
            "any", "every", "each", "no",
            // subjects and auxiliaries that need a verb or an object
            "i", "i'm", "we", "they", "he", "she", "it's", "is", "are", "was", "were", "be", "been", "am",
            "can", "could", "would", "should", "will", "shall", "might", "must", "do", "does", "did", "have", "has",
            "had", "want", "need", "going", "gonna", "wanna", "let's", "let",
            // fillers: the caller is thinking
            "um", "uh", "er", "erm", "hmm", "mm", "uhm", "well");
    private static final Set<String> FINAL_VERBS = Set.of("is", "are", "was", "were", "am", "be", "been", "do",
            "does", "did", "can", "could", "will", "would", "should", "have", "has", "had");
    private static final Set<String> SUBJECT_PRONOUNS = Set.of("i", "you", "we", "they", "he", "she", "it",
            "that", "this");
    private static final Set<String> WH_WORDS = Set.of("what", "where", "who", "how", "which", "when", "why",
            "whatever", "wherever");
    private static final Set<String> QUESTION_STARTS = Set.of(
            "what", "what's", "whats", "when", "where", "who", "who's", "why", "how", "how's", "which", "whose",
            "is", "are", "was", "were", "do", "does", "did", "can", "could", "would", "will", "should", "shall",
            "may", "have", "has", "tell", "give", "show");
    private static final Set<String> SHORT_COMPLETE = Set.of(
            "hello", "hi", "hey", "thanks", "thank you", "yes", "no", "okay", "ok", "bye", "goodbye", "sure",
            "please", "good morning", "good evening", "good night", "good afternoon", "of course", "not really",
            "that's all", "that's it", "nothing", "never mind", "stop");

    @Override
    public double endOfTurnProbability(String transcript, List<ChatRequest.Message> history) {
        if (transcript == null || transcript.isBlank()) {
            return UNDECIDED;
        }
        String trimmed = transcript.strip();
        char last = trimmed.charAt(trimmed.length() - 1);
        if (last == '?' || last == '.' || last == '!') {
            return COMPLETE; // a punctuating recogniser or typed text has already decided
        }
        if (last == ',' || last == ';' || last == ':' || last == '-' || trimmed.endsWith("...")) {
            return UNFINISHED;
        }
        String[] words = trimmed.toLowerCase(Locale.ROOT).replaceAll("[^a-z' ]", " ").strip().split("\\s+");
        if (words.length == 0 || words[0].isEmpty()) {
            return UNDECIDED;
        }
        if (CONTINUATIONS.contains(words[words.length - 1]) && !endsAnEmbeddedQuestion(words)) {
            return UNFINISHED;
        }
        String phrase = String.join(" ", words);
        if (SHORT_COMPLETE.contains(phrase)) {
            return COMPLETE;
        }
        if (QUESTION_STARTS.contains(words[0]) && words.length >= 3) {
            return COMPLETE;
        }
        return UNDECIDED;
    }

    /**
     * "what day it is", "where you are", "who I am": a wh-word, a subject, then the verb last — the verb closes the
     * clause instead of needing a continuation ("my name is" has no wh-word and stays unfinished).
     */
    static boolean endsAnEmbeddedQuestion(String[] words) {
        int n = words.length;
        if (n < 3 || !FINAL_VERBS.contains(words[n - 1])) {
            return false;
        }
        String subject = words[n - 2];
        if (!SUBJECT_PRONOUNS.contains(subject) && CONTINUATIONS.contains(subject)) {
            return false; // "what is the", "where is a"
        }
        for (int i = n - 3; i >= Math.max(0, n - 5); i--) {
            if (WH_WORDS.contains(words[i])) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String name() {
        return "rules";
    }
}
