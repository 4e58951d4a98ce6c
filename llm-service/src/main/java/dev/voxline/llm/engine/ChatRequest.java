package dev.voxline.llm.engine;

import java.util.List;

/** A conversation to continue: the system prompt, earlier turns and the caller's latest words, oldest first. */
public record ChatRequest(List<Message> messages) {

    public static final String SYSTEM = "system";
    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";

    public ChatRequest {
        messages = List.copyOf(messages);
    }

    /** One message; {@code role} is {@link #SYSTEM}, {@link #USER} or {@link #ASSISTANT} (OpenAI's names). */
    public record Message(String role, String content) {
    }

    /** The content of the last user message, or "" when there is none. */
    public String lastUserText() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (USER.equals(messages.get(i).role())) {
                return messages.get(i).content();
            }
        }
        return "";
    }
}
