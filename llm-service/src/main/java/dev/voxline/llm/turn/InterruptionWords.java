package dev.voxline.llm.turn;

import java.util.Locale;
import java.util.Set;

/**
 * Counts the words of what a caller said over the agent, leaving out backchannels ("mm-hm", "yeah", "okay"): a
 * listener's signals that they are following, which must not stop the agent (they are counted instead).
 *
 * @param backchannels lower-case words and short phrases that are only a listener's signal
 */
public record InterruptionWords(Set<String> backchannels) {

    public static final Set<String> DEFAULT_BACKCHANNELS = Set.of(
            "mm", "mhm", "mm-hm", "mmhmm", "mm hmm", "uh-huh", "uh huh", "uhhuh", "hmm", "hm", "yeah", "yea", "yep",
            "yes", "okay", "ok", "right", "sure", "i see", "got it", "cool", "nice", "wow", "oh", "ah", "alright",
            "all right", "exactly", "true", "huh",
            // what a small recogniser makes of a cough or a click over the agent's voice
            "the", "a", "uh", "um");

    public InterruptionWords {
        backchannels = Set.copyOf(backchannels.stream().map(w -> w.toLowerCase(Locale.ROOT).strip()).toList());
    }

    /** What a transcript is, as an interruption. */
    public enum Kind { NO_WORDS, BACKCHANNEL, WORDS }

    public Kind classify(String text) {
        return wordsBeyondBackchannels(text) > 0 ? Kind.WORDS
                : normalise(text).isEmpty() ? Kind.NO_WORDS : Kind.BACKCHANNEL;
    }

    /** Words that are not part of a backchannel; a phrase ("i see", "uh huh") counts as one backchannel. */
    public int wordsBeyondBackchannels(String text) {
        String normalised = normalise(text);
        if (normalised.isEmpty()) {
            return 0;
        }
        String[] words = normalised.split(" ");
        int count = 0;
        for (int i = 0; i < words.length; i++) {
            if (i + 1 < words.length && backchannels.contains(words[i] + " " + words[i + 1])) {
                i++;
            } else if (!backchannels.contains(words[i])) {
                count++;
            }
        }
        return count;
    }

    private static String normalise(String text) {
        if (text == null) {
            return "";
        }
        return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z'\\- ]", " ").replaceAll("\\s+", " ").strip();
    }
}
