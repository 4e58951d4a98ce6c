package dev.voxline.llm.conversation;

import dev.voxline.llm.engine.ChatRequest;
import java.util.List;

/**
 * Tokens estimated without a tokenizer: a message costs ceil(characters ÷ 4) plus 4 for its role and framing.
 * That is OpenAI's rule of thumb for English (about 4 characters per token) and its per-message overhead; it is
 * meant to keep a request safely within a budget, not to bill. The same estimate for every engine, so pruning does
 * not change with the model.
 */
public final class TokenEstimate {

    static final int CHARS_PER_TOKEN = 4;
    static final int PER_MESSAGE = 4;

    private TokenEstimate() {
    }

    public static int of(String text) {
        int chars = text == null ? 0 : text.length();
        return (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
    }

    public static int of(ChatRequest.Message message) {
        return PER_MESSAGE + of(message.content());
    }

    public static int of(List<ChatRequest.Message> messages) {
        int tokens = 0;
        for (ChatRequest.Message message : messages) {
            tokens += of(message);
        }
        return tokens;
    }
}
