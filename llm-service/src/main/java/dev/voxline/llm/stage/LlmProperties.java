package dev.voxline.llm.stage;

import dev.voxline.llm.engine.OpenAiSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * llm-service settings ({@code voxline.llm.*}); the defaults work offline.
 *
 * @param engine          the default chat model, used when a session names none: {@code builtin},
 *                        {@code openai} or {@code simulated}
 * @param ttftMs          simulated: time from the final transcript to the first token
 * @param tokensPerSecond simulated: token rate after the first token (0 = all at once)
 * @param systemPrompt    the conversation's system message
 * @param historyMessages user and assistant messages kept per session (at most; the token budget of
 *                        {@code context} usually binds first)
 * @param minClauseChars  a clause is released at , ; : — once it has this many characters
 * @param builtin         the built-in offline assistant
 * @param openai          an OpenAI-compatible chat-completions server
 * @param turnTaking      end of turn, preemptive generation and interruptions
 * @param context         the conversation context: token budget, summaries, persistence
 */
@ConfigurationProperties("voxline.llm")
public record LlmProperties(
        @DefaultValue("builtin") String engine,
        @DefaultValue("200") int ttftMs,
        @DefaultValue("50") double tokensPerSecond,
        @DefaultValue("You are Voxline, a friendly voice assistant. Answer briefly, in plain spoken sentences.")
        String systemPrompt,
        @DefaultValue("20") int historyMessages,
        @DefaultValue("20") int minClauseChars,
        @DefaultValue Builtin builtin,
        @DefaultValue OpenAiSettings openai,
        @DefaultValue TurnTaking turnTaking,
        @DefaultValue Context context) {

    @ConstructorBinding
    public LlmProperties {
    }

    /** The settings of the simulated engine alone, the others at their defaults (tests). */
    public LlmProperties(String engine, int ttftMs, double tokensPerSecond, String systemPrompt, int historyMessages,
                         int minClauseChars) {
        this(engine, ttftMs, tokensPerSecond, systemPrompt, historyMessages, minClauseChars,
                new Builtin("", 5), new OpenAiSettings("", "", "", 30, 0, 0), TurnTaking.defaults(),
                Context.defaults());
    }

    /** Every setting given, turn-taking and the context at their defaults. */
    public LlmProperties(String engine, int ttftMs, double tokensPerSecond, String systemPrompt, int historyMessages,
                         int minClauseChars, Builtin builtin, OpenAiSettings openai) {
        this(engine, ttftMs, tokensPerSecond, systemPrompt, historyMessages, minClauseChars, builtin, openai,
                TurnTaking.defaults(), Context.defaults());
    }

    /** The same settings with other turn-taking. */
    public LlmProperties withTurnTaking(TurnTaking newTurnTaking) {
        return new LlmProperties(engine, ttftMs, tokensPerSecond, systemPrompt, historyMessages, minClauseChars,
                builtin, openai, newTurnTaking, context);
    }

    /** The same settings with another context. */
    public LlmProperties withContext(Context newContext) {
        return new LlmProperties(engine, ttftMs, tokensPerSecond, systemPrompt, historyMessages, minClauseChars,
                builtin, openai, turnTaking, newContext);
    }

    /**
     * A session's conversation context (docs/conversation.md).
     *
     * @param maxTokens       budget of one request's context: system prompt, summary and history, estimated as
     *                        characters ÷ 4 plus 4 per message; the system prompt and the latest user message are
     *                        always kept, older messages leave first
     * @param summaryMaxWords length asked of a summary of the messages that left the budget (openai engine; other
     *                        engines keep a one-line "earlier" of their first words, at most 8 × this many chars)
     * @param persist         publish every change to voice.context and restore from it on assignment
     * @param restoreWait     how long a turn of a partition being restored waits for the restore
     */
    public record Context(@DefaultValue("2000") int maxTokens, @DefaultValue("60") int summaryMaxWords,
                          @DefaultValue("true") boolean persist,
                          @DefaultValue("2s") java.time.Duration restoreWait) {

        public static Context defaults() {
            return new Context(2000, 60, true, java.time.Duration.ofSeconds(2));

        }
    }

    /**
     * How llm-service takes turns with the caller (each overridable per session by {@code turnTaking} in
     * {@code session.start}).
     *
     * @param minEndpointingDelayMs      least silence before the caller's turn is decided; -1 = the session's VAD
     *                                   profile's silence window (300 ms low-latency, 500 ms high-accuracy)
     * @param maxEndpointingDelayMs      most silence the decision waits when the caller's thought obviously goes on
     * @param undecidedEndpointingMs     the wait for a transcript the rules cannot call, before the caller's own
     *                                   pauses are known
     * @param preemptiveGeneration       start the reply on the final transcript, before the turn is decided; it
     *                                   reaches the caller only once the turn is committed
     * @param minInterruptionWords       words (besides backchannels) that make speech over the agent an interruption
     * @param falseInterruptionTimeoutMs a paused reply resumes when the caller's speech gave no words within this
     *                                   (from their last speech)
     * @param backchannels               words and short phrases that never interrupt the agent (empty = built in)
     * @param userIdleTimeoutMs          silence of the caller after which the agent asks whether they are still
     *                                   there: from the end of the agent's speech (not interrupted), or from the
     *                                   session's start; 0 = off (the default; a session sets its own)
     * @param idlePrompts                what the agent says: the n-th prompt in a row is the n-th entry, the last one
     *                                   repeating (empty = "Are you still there?")
     * @param maxIdlePrompts             prompts in a row, without the caller saying anything, after which the agent
     *                                   stops prompting and waits
     */
    public record TurnTaking(
            @DefaultValue("-1") int minEndpointingDelayMs,
            @DefaultValue("3000") int maxEndpointingDelayMs,
            @DefaultValue("800") int undecidedEndpointingMs,
            @DefaultValue("true") boolean preemptiveGeneration,
            @DefaultValue("1") int minInterruptionWords,
            @DefaultValue("2000") int falseInterruptionTimeoutMs,
            @DefaultValue({}) java.util.List<String> backchannels,
            @DefaultValue("0") int userIdleTimeoutMs,
            @DefaultValue({}) java.util.List<String> idlePrompts,
            @DefaultValue("2") int maxIdlePrompts) {

        public static TurnTaking defaults() {
            return new TurnTaking(-1, 3000, 700, true, 1, 2000, java.util.List.of(), 0, java.util.List.of(), 2);
        }

        /** The same settings with other idle prompts (tests). */
        public TurnTaking withIdlePrompts(int timeoutMs, java.util.List<String> prompts, int maxPrompts) {
            return new TurnTaking(minEndpointingDelayMs, maxEndpointingDelayMs, undecidedEndpointingMs,
                    preemptiveGeneration, minInterruptionWords, falseInterruptionTimeoutMs, backchannels, timeoutMs,
                    prompts, maxPrompts);
        }
    }

    /**
     * The built-in assistant.
     *
     * @param zone        the time zone it tells the time in (an id such as {@code Europe/Paris}); blank = the JVM's
     * @param wordDelayMs time between two words of its reply (0 = all at once)
     */
    public record Builtin(@DefaultValue("") String zone, @DefaultValue("5") int wordDelayMs) {
    }
}
