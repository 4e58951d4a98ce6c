package dev.voxline.tts.engine;

import dev.voxline.contracts.audio.Pcm;
import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.tts.engine.TtsProperties;
import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The simulated synthesiser, with exact timings so benchmarks can separate pipeline cost from engine cost. Its
 * audio is real PCM — a {@link VoiceLikeSignal} lasting {@code msPerCharacter} per character (at least
 * {@code minDurationMs}) — cut into {@code chunkMs} chunks: the first after the TTFB, each next one
 * {@code chunkMs × realTimeFactor} later on a fixed schedule (all at once for factor 0). Fault {@code tts.fail}:
 * an error after the TTFB instead of the first chunk.
 */
public final class SimulatedTtsEngine implements TtsEngine {

    public static final String FAULT = "tts.fail";

    private final TtsProperties properties;
    private final Scheduler timer;

    public SimulatedTtsEngine(TtsProperties properties, Scheduler timer) {
        this.properties = properties;
        this.timer = timer;
    }

    @Override
    public String name() {
        return "simulated";
    }

    /** The audio duration this engine gives {@code text}. */
    public long durationMs(String text) {
        return Math.max(properties.minDurationMs(), (long) properties.msPerCharacter() * text.strip().length());
    }

    @Override
    public Flux<byte[]> synthesize(String text, TtsSettings settings) {
        SessionConfig.Simulation simulation = settings.simulationOrEmpty();
        Duration ttfb = Duration.ofMillis(Math.max(0, simulation.ttsTtfbMs() != null
                ? simulation.ttsTtfbMs() : properties.ttfbMs()));
        double factor = simulation.ttsRealTimeFactor() != null
                ? simulation.ttsRealTimeFactor() : properties.realTimeFactor();
        if (simulation.hasFault(FAULT)) {
            return Mono.delay(ttfb, timer).thenMany(Flux.error(
                    new IllegalStateException("simulated synthesiser failure (fault " + FAULT + ")")));
        }
        int rate = settings.sampleRate();
        long totalSamples = (long) rate * durationMs(text) / 1000;
        int chunkSamples = Math.max(1, Pcm.frameBytes(rate, properties.chunkMs()) / 2);
        int chunks = (int) ((totalSamples + chunkSamples - 1) / chunkSamples);
        return Flux.defer(() -> {
            VoiceLikeSignal signal = new VoiceLikeSignal(rate, totalSamples, properties.peakDbfs());
            Flux<Long> schedule;
            if (factor <= 0) {
                schedule = Mono.delay(ttfb, timer).thenMany(Flux.range(0, chunks).map(Integer::longValue));
            } else {
                // chunk i at ttfb + i·chunkMs·factor, so scheduling jitter does not accumulate
                Duration period = Duration.ofNanos(Math.max(1, Math.round(properties.chunkMs() * factor * 1e6)));
                schedule = Flux.interval(ttfb, period, timer).onBackpressureBuffer().take(chunks);
            }
            return schedule.map(i -> Pcm.toBytes(signal.next(chunkSamples)));
        });
    }
}
