package dev.voxline.metrics.report;

import dev.voxline.contracts.event.VoiceEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;

/**
 * The turn clock in Prometheus (DESIGN.md §6): one histogram per headline figure of the turn report, in seconds by
 * Prometheus convention ({@code voice_turn_e2e_seconds}, …), with buckets around the targets (E2E under 1 s,
 * TTFT under 500 ms, TTFB under 300 ms) rather than Micrometer's generic ones. Every report is observed, a timed-out
 * one included: the figures it has are real measurements, and the ones it lacks are simply not observed.
 */
public final class TurnHistograms {

    public static final String E2E = "voice.turn.e2e";
    public static final String LLM_TTFT = "voice.llm.ttft";
    public static final String TTS_TTFB = "voice.tts.ttfb";
    public static final String EOU_DELAY = "voice.eou.delay";
    public static final String TRANSCRIPTION_DELAY = "voice.stt.transcription.delay";
    public static final String TRANSPORT = "voice.transport";

    /** Around the latency targets: 100 ms … 3 s. */
    static final Duration[] LATENCY_BUCKETS = millis(100, 150, 200, 250, 300, 400, 500, 800, 1000, 1500, 2000, 3000);
    /** End of speech → decision includes the endpointing silence wait (300–500 ms by profile, at most 3 s). */
    static final Duration[] EOU_BUCKETS = millis(100, 150, 200, 250, 300, 400, 500, 600, 800, 1000, 1500, 2000,
            3000, 5000);
    /** Five Kafka hops: a few ms idle (DESIGN.md §2 measured ~1–2 ms per hop), tens of ms under load. */
    static final Duration[] TRANSPORT_BUCKETS = millis(1, 2, 5, 10, 15, 20, 30, 50, 100, 200, 500);

    private final Timer e2e;
    private final Timer llmTtft;
    private final Timer ttsTtfb;
    private final Timer eouDelay;
    private final Timer transcriptionDelay;
    private final Timer transport;

    public TurnHistograms(MeterRegistry registry) {
        e2e = timer(registry, E2E, "Last voiced frame (or text.input) at the gateway to first reply audio written",
                LATENCY_BUCKETS);
        llmTtft = timer(registry, LLM_TTFT, "LLM request to first token", LATENCY_BUCKETS);
        ttsTtfb = timer(registry, TTS_TTFB, "First clause at TTS to its first audio chunk", LATENCY_BUCKETS);
        eouDelay = timer(registry, EOU_DELAY, "End of speech to end-of-utterance decision (voice turns)",
                EOU_BUCKETS);
        transcriptionDelay = timer(registry, TRANSCRIPTION_DELAY,
                "End of speech to final transcript at the LLM (voice turns)", EOU_BUCKETS);
        transport = timer(registry, TRANSPORT, "Kafka hop delays summed over the turn's critical path",
                TRANSPORT_BUCKETS);
    }

    public void observe(TurnReport report) {
        VoiceEvent.TurnMetrics metrics = report.metrics();
        record(e2e, metrics.e2e());
        record(llmTtft, metrics.llmTtft());
        record(ttsTtfb, metrics.ttsTtfb());
        if (!report.typed()) { // 0 by definition for typed input: it would only dilute the voice figures
            record(eouDelay, metrics.eouDelay());
            record(transcriptionDelay, metrics.transcriptionDelay());
        }
        record(transport, metrics.transport());
    }

    private static void record(Timer timer, Double ms) {
        if (ms != null && ms >= 0 && !ms.isInfinite() && !ms.isNaN()) {
            timer.record(Duration.ofNanos(Math.round(ms * 1_000_000)));
        }
    }

    private static Timer timer(MeterRegistry registry, String name, String description, Duration[] buckets) {
        return Timer.builder(name)
                .description(description)
                .serviceLevelObjectives(buckets)
                .minimumExpectedValue(buckets[0])
                .maximumExpectedValue(buckets[buckets.length - 1])
                .register(registry);
    }

    private static Duration[] millis(long... values) {
        return Arrays.stream(values).mapToObj(Duration::ofMillis).toArray(Duration[]::new);
    }
}
