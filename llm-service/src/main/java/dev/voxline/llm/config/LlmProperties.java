package dev.voxline.llm.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * llm-service settings ({@code voxline.llm.*}); the defaults work offline.
 *
 * @param engine          the chat model: {@code simulated} until the offline assistant and providers arrive
 * @param ttftMs          simulated: time from the final transcript to the first token
 * @param tokensPerSecond simulated: token rate after the first token (0 = all at once)
 * @param systemPrompt    the conversation's system message
 * @param historyMessages user and assistant messages kept per session
 * @param minClauseChars  a clause is released at , ; : — once it has this many characters
 */
@ConfigurationProperties("voxline.llm")
public record LlmProperties(
        @DefaultValue("simulated") String engine,
        @DefaultValue("200") int ttftMs,
        @DefaultValue("50") double tokensPerSecond,
        @DefaultValue("You are Voxline, a friendly voice assistant. Answer briefly, in plain spoken sentences.")
        String systemPrompt,
        @DefaultValue("20") int historyMessages,
        @DefaultValue("20") int minClauseChars) {
}
