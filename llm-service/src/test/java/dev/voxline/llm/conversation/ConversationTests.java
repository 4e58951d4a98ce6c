package dev.voxline.llm.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.llm.engine.ChatRequest;
import java.util.List;
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

    @Test
    void pruningToTheTokenBudgetKeepsTheSystemPromptAndTheLatestUserMessage() {
        // "be brief" = 4 + 2 tokens; each 40-character message = 4 + 10 tokens
        Conversation conversation = new Conversation("be brief", new ContextBudget(100, 50));
        String forty = "x".repeat(40);
        conversation.userSaid("first " + forty.substring(6));
        conversation.agentSaid("reply " + forty.substring(6));
        conversation.userSaid("second " + forty.substring(7));
        ChatRequest request = conversation.userSaid("latest " + "y".repeat(200)); // alone over the budget

        assertThat(request.messages()).extracting(ChatRequest.Message::role).containsExactly("system", "user");
        assertThat(request.messages().get(0).content()).isEqualTo("be brief");
        assertThat(request.lastUserText()).startsWith("latest ");
        assertThat(conversation.dropped()).extracting(ChatRequest.Message::content)
                .allSatisfy(content -> assertThat(content).doesNotStartWith("latest"))
                .hasSize(3);
        assertThat(conversation.requestTokens()).isEqualTo(TokenEstimate.of(request.messages()));
    }

    @Test
    void theBudgetDropsTheOldestFirstAndTheRequestStaysWithinIt() {
        Conversation conversation = new Conversation("sys", new ContextBudget(100, 60));
        for (int i = 0; i < 6; i++) {
            conversation.userSaid("question number " + i + " about things");
            conversation.agentSaid("answer number " + i + " about things");
        }
        ChatRequest request = conversation.userSaid("last question");
        assertThat(TokenEstimate.of(request.messages())).isLessThanOrEqualTo(60);
        assertThat(request.messages().get(1).content()).doesNotContain("number 0");
        assertThat(conversation.dropped().get(0).content()).isEqualTo("question number 0 about things");
        assertThat(conversation.snapshot().messages()).hasSize(13); // nothing lost until it is summarised
    }

    @Test
    void aSummaryReplacesTheDroppedMessagesAndFollowsTheSystemPrompt() {
        Conversation conversation = new Conversation("sys", new ContextBudget(2, 1_000));
        conversation.userSaid("My name is Ada.");
        conversation.agentSaid("Hello Ada.");
        conversation.userSaid("What is the weather?");
        assertThat(conversation.dropped()).extracting(ChatRequest.Message::content).containsExactly("My name is Ada.");

        conversation.summarised(1, "The caller is Ada.");
        ChatRequest request = conversation.request();
        assertThat(request.messages()).extracting(ChatRequest.Message::content).containsExactly("sys",
                Conversation.SUMMARY_PREFIX + "The caller is Ada.", "Hello Ada.", "What is the weather?");
        assertThat(conversation.dropped()).isEmpty();
        assertThat(conversation.snapshot().summary()).isEqualTo("The caller is Ada.");
    }

    @Test
    void everyChangeBumpsTheSequenceAndTellsTheListener() {
        Conversation conversation = new Conversation("sys", 10);
        java.util.List<Long> seen = new java.util.ArrayList<>();
        conversation.onChange(() -> seen.add(conversation.seq()));
        conversation.userSaid("hi");
        conversation.agentSaid("g1", "hello there");
        conversation.agentSaid("   "); // not kept: no change
        conversation.agentHeard("g1", "hello");
        conversation.userWentOn("hi again");
        assertThat(seen).containsExactly(1L, 2L, 3L, 4L);
        assertThat(conversation.history()).extracting(ChatRequest.Message::content).containsExactly("hi again");
    }

    @Test
    void whatWasHeardReplacesAReplyAlsoWhileItWaitsForASummary() {
        Conversation conversation = new Conversation("sys", new ContextBudget(1, 1_000));
        conversation.userSaid("tell me a story");
        conversation.agentSaid("g1", "Once upon a time there was a fox.");
        conversation.userSaid("stop");
        assertThat(conversation.dropped()).hasSize(2);
        assertThat(conversation.agentHeard("g1", "Once upon")).isTrue();
        assertThat(conversation.snapshot().messages()).extracting(ChatRequest.Message::content)
                .containsExactly("tell me a story", "Once upon", "stop");
    }

    @Test
    void aRestoredSnapshotSeedsAFreshConversationAndANewerOneReplacesAnOlderState() {
        Conversation conversation = new Conversation("sys", 20);
        Conversation.Snapshot snapshot = new Conversation.Snapshot(5, "Earlier: hello", List.of(
                new ChatRequest.Message("user", "My name is Ada."), new ChatRequest.Message("assistant", "Hi Ada.")));
        assertThat(conversation.restore(snapshot, false)).isTrue();
        assertThat(conversation.seq()).isEqualTo(5);
        ChatRequest request = conversation.userSaid("What is my name?");
        assertThat(request.messages()).extracting(ChatRequest.Message::content).containsExactly("sys",
                Conversation.SUMMARY_PREFIX + "Earlier: hello", "My name is Ada.", "Hi Ada.", "What is my name?");
        assertThat(conversation.seq()).isEqualTo(6);

        assertThat(conversation.restore(snapshot, false)).as("older than what is here").isFalse();
        assertThat(conversation.history()).hasSize(3);
    }

    @Test
    void aLateRestoreKeepsTheTurnsThatRanWithoutIt() {
        Conversation conversation = new Conversation("sys", 20);
        conversation.userSaid("What is my name?");
        conversation.agentSaid("I do not know.");
        Conversation.Snapshot snapshot = new Conversation.Snapshot(9, null,
                List.of(new ChatRequest.Message("user", "My name is Ada.")));

        assertThat(conversation.restore(snapshot, true)).isTrue();
        assertThat(conversation.history()).extracting(ChatRequest.Message::content)
                .containsExactly("My name is Ada.", "What is my name?", "I do not know.");
        assertThat(conversation.seq()).isEqualTo(10);
    }
}
