package dev.voxline.llm.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.llm.engine.ChatRequest;
import org.junit.jupiter.api.Test;

class ConversationTests {

    @Test
    void requestHasTheSystemPromptAndTheHistory() {
        Conversation conversation = new Conversation("be brief", 10);
        conversation.userSaid("hi");
        conversation.agentSaid(" hello ");
        ChatRequest request = conversation.userSaid("how are you");

        assertThat(request.messages()).extracting(ChatRequest.Message::role)
                .containsExactly("system", "user", "assistant", "user");
        assertThat(request.messages().get(2).content()).isEqualTo("hello");
        assertThat(request.lastUserText()).isEqualTo("how are you");
    }

    @Test
    void keepsOnlyTheLastMessages() {
        Conversation conversation = new Conversation("", 3);
        for (int i = 0; i < 5; i++) {
            conversation.userSaid("q" + i);
            conversation.agentSaid("a" + i);
        }
        ChatRequest request = conversation.userSaid("last");
        assertThat(request.messages()).extracting(ChatRequest.Message::content).containsExactly("q4", "a4", "last");
    }

    @Test
    void blankRepliesAreNotKept() {
        Conversation conversation = new Conversation(null, 10);
        conversation.userSaid("hi");
        conversation.agentSaid("  ");
        assertThat(conversation.history()).hasSize(1);
    }
}
