package dev.voxline.llm.engine;

import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code openai} engine ({@code voxline.llm.openai.*}): an OpenAI-compatible streaming chat-completions
 * server (OpenAI, Ollama, vLLM, llama.cpp server, Groq …).
 *
 * @param baseUrl        the API root including its version, e.g. {@code http://localhost:11434/v1}
 *                       ({@code VOXLINE_LLM_BASE_URL}); blank = OpenAI's own
 * @param model          the model name ({@code VOXLINE_LLM_MODEL}); required
 * @param apiKey         the bearer key ({@code VOXLINE_LLM_API_KEY}); blank = no Authorization header
 * @param timeoutSeconds limit of one request, the whole stream included
 * @param maxRetries     retries of a refused request (0: a voice turn cannot wait for back-offs)
 * @param maxTokens      cap on the reply's tokens (0 = the server's default)
 * @param warmUp         take the client's one-time set-up off the first turn, before the service reports
 *                       ready (off where start-up time is scarcer than the first turn's, as in the shared test stack)
 */
public record OpenAiSettings(@DefaultValue("") String baseUrl, @DefaultValue("") String model,
                             @DefaultValue("") String apiKey, @DefaultValue("30") int timeoutSeconds,
                             @DefaultValue("0") int maxRetries, @DefaultValue("0") int maxTokens,
                             @DefaultValue("true") boolean warmUp) {

    @ConstructorBinding
    public OpenAiSettings {
    }

    /** Warmed up at start-up. */
    public OpenAiSettings(String baseUrl, String model, String apiKey, int timeoutSeconds, int maxRetries,
                          int maxTokens) {
        this(baseUrl, model, apiKey, timeoutSeconds, maxRetries, maxTokens, true);
    }

    /** The settings without the key (only whether there is one), so a log line cannot leak it. */
    @Override
    public String toString() {
        return "OpenAiSettings[baseUrl=" + baseUrl + ", model=" + model + ", apiKey="
                + (apiKey == null || apiKey.isBlank() ? "none" : "***") + ", timeoutSeconds=" + timeoutSeconds
                + ", maxRetries=" + maxRetries + ", maxTokens=" + maxTokens + ", warmUp=" + warmUp + "]";
    }

    public boolean configured() {
        return model != null && !model.isBlank();
    }
}
