package dev.voxline.llm.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class BuiltinLlmEngineTests {

    /** 2026-11-25 19:05 UTC = 20:05 in Paris. */
    private static final Clock PARIS = Clock.fixed(Instant.parse("2026-11-25T19:05:00Z"), ZoneId.of("Europe/Paris"));

    private final BuiltinLlmEngine engine = new BuiltinLlmEngine(PARIS, Duration.ZERO, Schedulers.parallel());

    private static ChatRequest ask(String text) {
        return new ChatRequest(List.of(new ChatRequest.Message(ChatRequest.SYSTEM, "be brief"),
                new ChatRequest.Message(ChatRequest.USER, text)));
    }

    private String reply(String heard) {
        return String.join("", engine.streamText(ask(heard), new LlmSettings(null)).collectList().block());
    }

    @Test
    void greetsAndSaysWhatItIs() {
        assertThat(reply("Hello there!")).isEqualTo("Hello! I'm Voxline's built-in assistant, not a language "
                + "model. I can tell you the time or the date, or how to connect a real model.");
        assertThat(reply("good morning")).startsWith("Hello! I'm Voxline's built-in assistant");
    }

    @Test
    void tellsTheTimeInItsZone() {
        assertThat(reply("What time is it?")).isEqualTo("It's 8:05 PM.");
        assertThat(reply("hey, what's the time")).isEqualTo("Hello! It's 8:05 PM.");
        BuiltinLlmEngine tokyo = new BuiltinLlmEngine(PARIS.withZone(ZoneId.of("Asia/Tokyo")), Duration.ZERO,
                Schedulers.parallel());
        assertThat(tokyo.reply("what time is it")).isEqualTo("It's 4:05 AM.");
    }

    @Test
    void tellsTheDate() {
        assertThat(reply("What's the date today?")).isEqualTo("Today is Wednesday, November 25, 2026.");
        assertThat(reply("what day is it")).isEqualTo("Today is Wednesday, November 25, 2026.");
    }

    @Test
    void explainsHowToConnectAModel() {
        String help = reply("How do I connect a real model?");
        assertThat(help).startsWith("I'm Voxline's built-in assistant, not a language model.")
                .contains("VOXLINE_LLM_BASE_URL", "VOXLINE_LLM_MODEL", "VOXLINE_LLM_API_KEY", "openai engine");
        assertThat(reply("help")).isEqualTo(help);
    }

    @Test
    void repeatsBackAnythingElseAndSaysItIsNotALanguageModel() {
        assertThat(reply("Tell me a joke about penguins.")).isEqualTo("You said: Tell me a joke about penguins. "
                + "I'm Voxline's built-in assistant, not a language model. I can tell you the time or the date, "
                + "or how to connect a real model.");
        assertThat(reply("   ")).startsWith("I didn't catch that.");
    }

    @Test
    void isDeterministic() {
        assertThat(reply("what is the weather like")).isEqualTo(reply("what is the weather like"));
    }

    @Test
    void streamsWordByWordWithTheConfiguredDelayAndNoUsage() {
        StepVerifier.withVirtualTime(() -> new BuiltinLlmEngine(PARIS, Duration.ofMillis(10),
                        reactor.test.scheduler.VirtualTimeScheduler.get())
                        .stream(ask("what time is it"), new LlmSettings(null)))
                .expectNext(LlmChunk.text("It's")) // the first word at once
                .expectNoEvent(Duration.ofMillis(9))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(LlmChunk.text(" 8:05"))
                .thenAwait(Duration.ofMillis(10))
                .expectNext(LlmChunk.text(" PM."))
                .verifyComplete();
    }
}
