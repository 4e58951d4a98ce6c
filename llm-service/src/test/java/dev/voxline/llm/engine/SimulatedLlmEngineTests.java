package dev.voxline.llm.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.event.SessionConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class SimulatedLlmEngineTests {

    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final SimulatedLlmEngine engine = new SimulatedLlmEngine(200, 50, clock);

    private static ChatRequest ask(String text) {
        return new ChatRequest(List.of(new ChatRequest.Message(ChatRequest.SYSTEM, "be brief"),
                new ChatRequest.Message(ChatRequest.USER, text)));
    }

    @Test
    void tokensAreWordsWithTheirLeadingSpaces() {
        assertThat(SimulatedLlmEngine.tokens("You said: hi there.")).containsExactly("You", " said:", " hi",
                " there.");
        assertThat(String.join("", SimulatedLlmEngine.tokens("  two  spaces\tand tab "))).isEqualTo(
                "  two  spaces\tand tab ");
        assertThat(SimulatedLlmEngine.tokens("")).isEmpty();
    }

    @Test
    void echoesWhatItHeardHonestly() {
        StepVerifier.withVirtualTime(() -> engine.streamText(ask("What time is it?"), new LlmSettings(null))
                        .reduce(String::concat), () -> clock, 100)
                .thenAwait(Duration.ofSeconds(5))
                .expectNext("You said: What time is it. This is Voxline's simulated reply engine.")
                .verifyComplete();
    }

    @Test
    void firstTokenAfterTtftThenExactlyAtTheTokenRate() {
        StepVerifier.withVirtualTime(() -> engine.streamText(ask("x"), new LlmSettings(sim(null, null, "One two three.",
                        null))), () -> clock, 100)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(200))
                .expectNext("One")
                .expectNoEvent(Duration.ofMillis(20))   // 50 tokens/s
                .expectNext(" two")
                .expectNoEvent(Duration.ofMillis(20))
                .expectNext(" three.")
                .verifyComplete();
    }

    @Test
    void sessionOverridesTtftAndRate() {
        StepVerifier.withVirtualTime(() -> engine.streamText(ask("x"), new LlmSettings(sim(500, 10.0, "a b", null))),
                        () -> clock, 100)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(500))
                .expectNext("a")
                .expectNoEvent(Duration.ofMillis(100))
                .expectNext(" b")
                .verifyComplete();
    }

    @Test
    void zeroRateSendsEverythingAtTheFirstToken() {
        StepVerifier.withVirtualTime(() -> engine.streamText(ask("x"), new LlmSettings(sim(0, 0.0, "a b c", null))),
                        () -> clock, 100)
                .expectSubscription()
                .expectNext("a", " b", " c")
                .verifyComplete();
    }

    @Test
    void faultFailsAfterTheTtft() {
        StepVerifier.withVirtualTime(() -> engine.streamText(ask("x"), new LlmSettings(sim(300, null, null,
                        "llm.fail"))), () -> clock, 100)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(300))
                .expectErrorMessage("simulated LLM failure (fault llm.fail)")
                .verify();
    }

    @Test
    void silentFaultNeverAnswersAndIsCancellable() {
        StepVerifier.withVirtualTime(() -> engine.streamText(ask("x"), new LlmSettings(sim(0, null, "a b",
                        "llm.silent"))), () -> clock, 100)
                .expectSubscription()
                .expectNoEvent(Duration.ofHours(1))
                .thenCancel()
                .verify();
    }

    @Test
    void cancellingStopsTheStream() {
        List<String> received = new java.util.ArrayList<>();
        reactor.core.Disposable subscription = engine.streamText(ask("x"), new LlmSettings(sim(0, 1.0, "a b c", null)))
                .subscribe(received::add);
        clock.advanceTime();
        assertThat(received).containsExactly("a");
        subscription.dispose();
        clock.advanceTimeBy(Duration.ofSeconds(10));
        assertThat(received).containsExactly("a");
    }

    private static SessionConfig.Simulation sim(Integer ttft, Double rate, String reply, String fault) {
        return new SessionConfig.Simulation(null, null, ttft, rate, null, null, null, reply, fault);
    }
}
