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
 * @param historyMessages user and assistant messages kept per session
 * @param minClauseChars  a clause is released at , ; : — once it has this many characters
 * @param builtin         the built-in offline assistant
 * @param openai          an OpenAI-compatible chat-completions server
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
        @DefaultValue OpenAi openai) {

    @ConstructorBinding
    public LlmProperties {
    }

    /** The settings of the simulated engine alone, the others at their defaults (tests). */
    public LlmProperties(String engine, int ttftMs, double tokensPerSecond, String systemPrompt, int historyMessages,
                         int minClauseChars) {
        this(engine, ttftMs, tokensPerSecond, systemPrompt, historyMessages, minClauseChars,
                new Builtin("", 5), new OpenAi("", "", "", 30, 0, 0));
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
