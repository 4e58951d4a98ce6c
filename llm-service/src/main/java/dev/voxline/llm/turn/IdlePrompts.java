package dev.voxline.llm.turn;

import java.util.List;

/**
 * What the agent says when the caller has gone quiet (LiveKit's {@code user_away_timeout}, Pipecat's
 * {@code UserIdleProcessor}), and how often in a row: the n-th prompt without the caller saying anything in between is
 * the n-th phrase, the last one repeating, and after {@code maxPrompts} of them the agent says nothing more until the
 * caller speaks. Stopping rather than hanging up: a caller who stepped away may come back, and ending a call is the
 * application's decision (the client sees each prompt's number in {@code agent.turn}).
 *
 * @param phrases    what to say, in order; never empty
 * @param maxPrompts prompts in a row at most (0 = none)
 */
public record IdlePrompts(List<String> phrases, int maxPrompts) {

    public static final List<String> DEFAULT_PHRASES = List.of("Are you still there?");

    public IdlePrompts {
        List<String> kept = phrases == null ? List.of()
                : phrases.stream().filter(p -> p != null && !p.isBlank()).map(String::strip).toList();
        phrases = kept.isEmpty() ? DEFAULT_PHRASES : kept;
        maxPrompts = Math.max(0, maxPrompts);
    }

    /** The phrase of the {@code n}-th prompt in a row (1-based), or null when the agent has prompted enough. */
    public String phrase(int n) {
        if (n < 1 || n > maxPrompts) {
            return null;
        }
        return phrases.get(Math.min(n, phrases.size()) - 1);
    }
}
