package dev.voxline.llm.engine;

/**
 * One piece of a streamed reply: a text delta (a token, possibly empty) and, when the engine knows it, the
 * request's token usage (a provider reports it once, usually in a last chunk without text).
 *
 * @param text  the text delta; "" when the chunk carries only usage
 * @param usage the token usage reported by the model, or null when this chunk carries none
 */
public record LlmChunk(String text, Usage usage) {

    public LlmChunk {
        text = text != null ? text : "";
    }

    public static LlmChunk text(String text) {
        return new LlmChunk(text, null);
    }

    public static LlmChunk usage(int promptTokens, int completionTokens) {
        return new LlmChunk("", new Usage(promptTokens, completionTokens));
    }

    public boolean hasText() {
        return !text.isEmpty();
    }

    /** Token counts as the model's tokenizer counted them. */
    public record Usage(int promptTokens, int completionTokens) {
    }
}
