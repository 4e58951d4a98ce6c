package dev.voxline.stt.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.event.SessionConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;
import reactor.test.scheduler.VirtualTimeScheduler;

class SimulatedSttEngineTests {

    private static final int RATE = 16_000;
    /** 20 ms of 16 kHz PCM16. */
    private static final byte[] FRAME = new byte[640];

    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final SimulatedSttEngine engine = new SimulatedSttEngine(50, 500, 400, clock);

    @Test
    void honestTextWithoutAScript() {
        Flux<byte[]> audio = Flux.fromIterable(java.util.Collections.nCopies(60, FRAME)); // 1.2 s

        StepVerifier.withVirtualTime(() -> engine.transcribe(audio, new SttSettings(RATE, null)), () -> clock, 100)
                .expectNext(SttResult.interim("[hearing 0.5 s of speech]"))
                .expectNext(SttResult.interim("[hearing 1.0 s of speech]"))
                .expectNoEvent(Duration.ofMillis(49))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(SttResult.finalResult("[simulated transcript of 1.2 s of speech]"))
                .verifyComplete();
    }

    @Test
    void scriptedTranscriptGrowsWithTheAudioAndFinalisesAfterTheSessionsDelay() {
        TestPublisher<byte[]> audio = TestPublisher.create();
        SttSettings settings = new SttSettings(RATE, simulation(200, "what is the weather like in Berlin", null));

        StepVerifier.withVirtualTime(() -> engine.transcribe(audio.flux(), settings), () -> clock, 100)
                .expectSubscription()
                .then(() -> frames(audio, 24))                 // 480 ms: no interim yet
                .expectNoEvent(Duration.ofSeconds(1))
                .then(() -> frames(audio, 1))                  // 500 ms
                .expectNext(SttResult.interim("what"))
                .then(() -> frames(audio, 25))                 // 1000 ms
                .expectNext(SttResult.interim("what is"))
                .then(() -> frames(audio, 50))                 // 1500 ms, 2000 ms
                .expectNext(SttResult.interim("what is the"), SttResult.interim("what is the weather like"))
                .then(audio::complete)
                .expectNoEvent(Duration.ofMillis(199))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(SttResult.finalResult("what is the weather like in Berlin"))
                .verifyComplete();
    }

    @Test
    void zeroFinalDelayFinalisesAtOnce() {
        StepVerifier.withVirtualTime(() -> engine.transcribe(Flux.just(FRAME),
                        new SttSettings(RATE, simulation(0, "hi", null))), () -> clock, 100)
                .expectNext(SttResult.finalResult("hi"))
                .verifyComplete();
    }

    @Test
    void faultFailsInsteadOfTheFinalResult() {
        StepVerifier.withVirtualTime(() -> engine.transcribe(Flux.just(FRAME),
                        new SttSettings(RATE, simulation(null, "hi", "stt.fail"))), () -> clock, 100)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(50))
                .expectErrorMessage("simulated recogniser failure (fault stt.fail)")
                .verify();
    }

    @Test
    void otherFaultsDoNotAffectIt() {
        StepVerifier.withVirtualTime(() -> engine.transcribe(Flux.just(FRAME),
                        new SttSettings(RATE, simulation(null, "hi", "llm.fail"))), () -> clock, 100)
                .thenAwait(Duration.ofMillis(50))
                .expectNext(SttResult.finalResult("hi"))
                .verifyComplete();
        assertThat(engine.name()).isEqualTo("simulated");
    }

    private static void frames(TestPublisher<byte[]> audio, int count) {
        for (int i = 0; i < count; i++) {
            audio.next(FRAME);
        }
    }

    static SessionConfig.Simulation simulation(Integer finalDelayMs, String transcript, String fault) {
        return new SessionConfig.Simulation(null, finalDelayMs, null, null, null, null, transcript, null, fault);
    }
}
