package dev.voxline.llm.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * llm-service settings ({@code voxline.llm.*}); the defaults work offline.
 *
 * @param engine          the default chat model, used when a session names none: {@code simulated}, {@code builtin}
 *                        or {@code openai}
 * @param ttftMs          simulated: time from the final transcript to the first token
 * @param tokensPerSecond simulated: token rate after the first token (0 = all at once)
 * @param systemPrompt    the conversation's system message
 * @param historyMessages user and assistant messages kept per session (at most; the token budget of
 *                        {@code context} usually binds first)
 * @param minClauseChars  a clause is released at , ; : — once it has this many characters
 * @param builtin         the built-in offline assistant
 * @param openai          an OpenAI-compatible chat-completions server
 * @param context         the conversation context: token budget, summaries, persistence
 */
@ConfigurationProperties("voxline.llm")
public record LlmProperties(
        @DefaultValue("simulated") String engine,
        @DefaultValue("200") int ttftMs,
        @DefaultValue("50") double tokensPerSecond,
        @DefaultValue("You are Voxline, a friendly voice assistant. Answer briefly, in plain spoken sentences.")
        String systemPrompt,
        @DefaultValue("20") int historyMessages,
        @DefaultValue("20") int minClauseChars,
        @DefaultValue Builtin builtin,
        @DefaultValue OpenAi openai,
        @DefaultValue Context context) {

    @ConstructorBinding
    public LlmProperties {
    }

    /** The settings of the simulated engine alone, the others at their defaults (tests). */
    public LlmProperties(String engine, int ttftMs, double tokensPerSecond, String systemPrompt, int historyMessages,
                         int minClauseChars) {
        this(engine, ttftMs, tokensPerSecond, systemPrompt, historyMessages, minClauseChars,
                new Builtin("", 5), new OpenAi("", "", "", 30, 0, 0), Context.defaults());
    }

    /** Every setting given, the context at its defaults. */
    public LlmProperties(String engine, int ttftMs, double tokensPerSecond, String systemPrompt, int historyMessages,
                         int minClauseChars, Builtin builtin, OpenAi openai) {
        this(engine, ttftMs, tokensPerSecond, systemPrompt, historyMessages, minClauseChars, builtin, openai,
                Context.defaults());
    }

    /** The same settings with another context. */
    public LlmProperties withContext(Context newContext) {
        return new LlmProperties(engine, ttftMs, tokensPerSecond, systemPrompt, historyMessages, minClauseChars,
                builtin, openai, newContext);
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
     * The built-in assistant.
     *
     * @param zone        the time zone it tells the time in (an id such as {@code Europe/Paris}); blank = the JVM's
     * @param wordDelayMs time between two words of its reply (0 = all at once)
     */
    public record Builtin(@DefaultValue("") String zone, @DefaultValue("5") int wordDelayMs) {
    }

    /**
     * An OpenAI-compatible streaming chat-completions server (OpenAI, Ollama, vLLM, llama.cpp server, Groq …).
     *
     * @param baseUrl        the API root including its version, e.g. {@code http://localhost:11434/v1}
     *                       ({@code VOXLINE_LLM_BASE_URL}); blank = OpenAI's own
     * @param model          the model name ({@code VOXLINE_LLM_MODEL}); required
     * @param apiKey         the bearer key ({@code VOXLINE_LLM_API_KEY}); blank = no Authorization header
     * @param timeoutSeconds limit of one request, the whole stream included
     * @param maxRetries     retries of a refused request (0: a voice turn cannot wait for back-offs)
     * @param maxTokens      cap on the reply's tokens (0 = the server's default)
     */
    public record OpenAi(@DefaultValue("") String baseUrl, @DefaultValue("") String model,
                         @DefaultValue("") String apiKey, @DefaultValue("30") int timeoutSeconds,
                         @DefaultValue("0") int maxRetries, @DefaultValue("0") int maxTokens) {

        public boolean configured() {
            return model != null && !model.isBlank();
        }
    }
}
