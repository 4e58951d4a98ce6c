package dev.voxline.tts.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.voxline.contracts.audio.Pcm;
import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.tts.engine.TtsProperties;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class SimulatedTtsEngineTests {

    static final TtsProperties DEFAULTS = new TtsProperties("simulated", 80, 0.2, 100, 60, 300, -10, 100);

    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final SimulatedTtsEngine engine = new SimulatedTtsEngine(DEFAULTS, clock);

    /** 20 characters → 1.2 s → 12 chunks of 100 ms. */
    private static final String TEXT = "Twenty chars, right.";

    @Test
    void durationIsSixtyMillisecondsPerCharacterWithAMinimum() {
        assertThat(engine.durationMs(TEXT)).isEqualTo(1200);
        assertThat(engine.durationMs("Hi.")).isEqualTo(300);
        assertThat(engine.durationMs("  padded  ")).isEqualTo(360);
    }

    @Test
    void audioHasTheDurationAtTheRequestedRateInHundredMillisecondChunks() {
        for (int rate : new int[] {16_000, 24_000, 8_000}) {
            List<byte[]> chunks = engine.synthesize(TEXT, new TtsSettings(rate, null, instant())).collectList()
                    .block(Duration.ofSeconds(1));
            assertThat(chunks).hasSize(12);
            assertThat(chunks).allSatisfy(chunk -> assertThat(chunk).hasSize(Pcm.frameBytes(rate, 100)));
            assertThat(Pcm.durationMs(chunks.stream().mapToLong(c -> c.length).sum(), rate)).isEqualTo(1200);
        }
        List<byte[]> odd = engine.synthesize("x".repeat(11), new TtsSettings(16_000, null, instant())).collectList()
                .block(Duration.ofSeconds(1));
        assertThat(odd).hasSize(7);
        assertThat(odd.get(6)).hasSize(Pcm.frameBytes(16_000, 60));
    }

    @Test
    void audioIsVoiceLikeNotSilence() {
        List<byte[]> chunks = engine.synthesize(TEXT, new TtsSettings(16_000, null, instant())).collectList()
                .block(Duration.ofSeconds(1));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        chunks.forEach(all::writeBytes);
        short[] samples = Pcm.toSamples(all.toByteArray());

        int peak = 0;
        int zeroCrossings = 0;
        for (int i = 0; i < samples.length; i++) {
            peak = Math.max(peak, Math.abs(samples[i]));
            if (i > 0 && (samples[i - 1] < 0) != (samples[i] < 0)) {
                zeroCrossings++;
            }
        }
        double peakDbfs = 20 * Math.log10(peak / 32767.0);
        assertThat(peakDbfs).isCloseTo(-10, within(1.0));
        assertThat(Pcm.rmsDbfs(all.toByteArray())).isBetween(-30.0, -12.0);
        // every chunk carries sound
        assertThat(chunks).allSatisfy(chunk -> assertThat(Pcm.rmsDbfs(chunk)).isGreaterThan(-40));
        // a 120–200 Hz fundamental with harmonics: well above 240 and below ~3000 crossings per second
        double crossingsPerSecond = zeroCrossings / 1.2;
        assertThat(crossingsPerSecond).isBetween(240.0, 3000.0);
        // soft edges: no click at the start or the end
        assertThat(Math.abs(samples[0])).isLessThan(100);
        assertThat(Math.abs(samples[samples.length - 1])).isLessThan(100);
    }

    @Test
    void firstChunkAfterTtfbThenPacedByTheRealTimeFactor() {
        StepVerifier.withVirtualTime(() -> engine.synthesize(TEXT, new TtsSettings(16_000, null, null)),
                        () -> clock, 100)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(80))
                .expectNextCount(1)
                .expectNoEvent(Duration.ofMillis(20))   // 100 ms × 0.2
                .expectNextCount(1)
                .expectNoEvent(Duration.ofMillis(20))
                .expectNextCount(1)
                .thenAwait(Duration.ofMillis(9 * 20))
                .expectNextCount(9)
                .verifyComplete();
    }

    @Test
    void sessionOverridesTtfbAndFactor() {
        SessionConfig.Simulation simulation = new SessionConfig.Simulation(null, null, null, null, 300, 1.0, null,
                null, null);
        StepVerifier.withVirtualTime(() -> engine.synthesize("Hi.", new TtsSettings(16_000, null, simulation)),
                        () -> clock, 100)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(300))
                .expectNextCount(1)
                .expectNoEvent(Duration.ofMillis(100))
                .expectNextCount(1)
                .expectNoEvent(Duration.ofMillis(100))
                .expectNextCount(1)
                .verifyComplete();
    }

    @Test
    void zeroFactorProducesEverythingAtTheTtfb() {
        StepVerifier.withVirtualTime(() -> engine.synthesize(TEXT, new TtsSettings(16_000, null,
                        new SessionConfig.Simulation(null, null, null, null, null, 0.0, null, null, null))),
                        () -> clock, 100)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(80))
                .expectNextCount(12)
                .verifyComplete();
    }

    @Test
    void faultFailsAfterTheTtfb() {
        StepVerifier.withVirtualTime(() -> engine.synthesize(TEXT, new TtsSettings(16_000, null,
                        new SessionConfig.Simulation(null, null, null, null, null, null, null, null, "tts.fail"))),
                        () -> clock, 100)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(80))
                .expectErrorMessage("simulated synthesiser failure (fault tts.fail)")
                .verify();
    }

    private static SessionConfig.Simulation instant() {
        return new SessionConfig.Simulation(null, null, null, null, 0, 0.0, null, null, null);
    }
}
