package dev.voxline.llm.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.llm.engine.ChatRequest;
import dev.voxline.llm.engine.LlmChunk;
import dev.voxline.llm.engine.LlmEngine;
import dev.voxline.llm.engine.LlmSettings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class ContextSummarizerTests {

    private static final List<ChatRequest.Message> DROPPED = List.of(
            new ChatRequest.Message(ChatRequest.USER, "My name is Ada and I need a table for four on Friday."),
            new ChatRequest.Message(ChatRequest.ASSISTANT, "Hello Ada, which time?"));

    /** A model that streams a canned summary and remembers what it was asked. */
    static final class CannedEngine implements LlmEngine {
        final List<ChatRequest> requests = new CopyOnWriteArrayList<>();
        final Flux<LlmChunk> answer;

        CannedEngine(Flux<LlmChunk> answer) {
            this.answer = answer;
        }

        @Override
        public String name() {
            return "openai";
        }

        @Override
        public Flux<LlmChunk> stream(ChatRequest request, LlmSettings settings) {
            requests.add(request);
            return answer;
        }
    }

    @Test
    void theModelIsAskedForAShortSummaryOfTheEarlierSummaryAndTheDroppedTurns() {
        CannedEngine engine = new CannedEngine(Flux.just(LlmChunk.text(" Ada wants"), LlmChunk.text(" a table for four. ")));
        StepVerifier.create(new LlmContextSummarizer(engine, 40, Duration.ofSeconds(5))
                        .summarize(DROPPED, "The caller phoned a restaurant."))
                .expectNext("Ada wants a table for four.")
                .verifyComplete();

        ChatRequest asked = engine.requests.get(0);
        assertThat(asked.messages().get(0).role()).isEqualTo(ChatRequest.SYSTEM);
        assertThat(asked.messages().get(0).content()).contains("at most 40 words");
        assertThat(asked.lastUserText()).contains("Summary so far: The caller phoned a restaurant.")
                .contains("Caller: My name is Ada").contains("Assistant: Hello Ada, which time?");
    }

    @Test
    void aModelThatSaysNothingOrFailsGivesNoSummary() {
        StepVerifier.create(new LlmContextSummarizer(new CannedEngine(Flux.just(LlmChunk.text("  "))), 40,
                Duration.ofSeconds(5)).summarize(DROPPED, null)).verifyComplete();
        StepVerifier.create(new LlmContextSummarizer(new CannedEngine(Flux.error(new IllegalStateException("503"))),
                40, Duration.ofSeconds(5)).summarize(DROPPED, null)).verifyError(IllegalStateException.class);
        StepVerifier.withVirtualTime(() -> new LlmContextSummarizer(new CannedEngine(Flux.never()), 40,
                        Duration.ofSeconds(5)).summarize(DROPPED, null))
                .thenAwait(Duration.ofSeconds(6)).verifyError(java.util.concurrent.TimeoutException.class);
    }

    @Test
    void truncatingKeepsTheFirstWordsOfWhatTheCallerSaidOnOneLine() {
        TruncatingContextSummarizer truncating = new TruncatingContextSummarizer(200);
        String first = truncating.summarize(DROPPED, null).block();
        assertThat(first).isEqualTo("Earlier the caller said: My name is Ada and I need a …");
        String second = truncating.summarize(List.of(new ChatRequest.Message(ChatRequest.USER, "Make it seven.")),
                first).block();
        assertThat(second).isEqualTo("Earlier the caller said: My name is Ada and I need a …; Make it seven");
        assertThat(truncating.summarize(List.of(DROPPED.get(1)), null).block()).isEmpty();
    }

    @Test
    void truncatingStaysWithinItsLength() {
        TruncatingContextSummarizer truncating = new TruncatingContextSummarizer(60);
        String summary = null;
        for (int i = 0; i < 20; i++) {
            summary = truncating.summarize(List.of(new ChatRequest.Message(ChatRequest.USER, "fact " + i)), summary)
                    .block();
        }
        assertThat(summary).hasSizeLessThanOrEqualTo(60).startsWith("Earlier the caller said: fact 0; fact 1");
    }
}
