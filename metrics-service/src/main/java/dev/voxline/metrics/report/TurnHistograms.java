package dev.voxline.metrics.report;

import dev.voxline.contracts.event.VoiceEvent;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;

/**
 * The turn report in Prometheus: one histogram per figure a dashboard or alert rule needs, latencies in seconds by
 * Prometheus convention ({@code voice_turn_e2e_seconds}, …), with buckets around the targets (E2E under 1 s, TTFT
 * under 500 ms, TTFB under 300 ms) rather than Micrometer's generic ones. Every report is observed, a timed-out one
 * included: the figures it has are real measurements, and the ones it lacks are simply not observed.
 *
 * <p>A stage's histograms are tagged with the engine that produced the figure ({@code engine}; the LLM's also
 * {@code provider} and {@code model}), "unknown" when the stage did not say, with a bounded number of values
 * ({@link BoundedTagValues}). Never a session or turn tag: those would make a time series per call.
 * metrics-service alone registers these names, so a sum over every Prometheus target counts each turn once.
 */
public final class TurnHistograms {

    public static final String E2E = "voice.turn.e2e";
    public static final String LLM_TTFT = "voice.llm.ttft";
    public static final String LLM_FIRST_CLAUSE_DELAY = "voice.llm.first.clause.delay";
    public static final String LLM_TOKENS_PER_SECOND = "voice.llm.tokens.per.second";
    public static final String TTS_TTFB = "voice.tts.ttfb";
    public static final String EOU_DELAY = "voice.eou.delay";
    public static final String TRANSCRIPTION_DELAY = "voice.stt.transcription.delay";
    public static final String STT_RTF = "voice.stt.rtf";
    public static final String TRANSPORT = "voice.transport";

    public static final String ENGINE = "engine";
    public static final String PROVIDER = "provider";
    public static final String MODEL = "model";

    /** The latency targets' neighbourhood: 150 ms … 2 s. */
    static final Duration[] LATENCY_BUCKETS = millis(150, 200, 250, 300, 400, 500, 800, 1000, 1500, 2000);
    /**
     * End of speech → decision includes the endpointing silence wait (300–500 ms by profile, up to 3 s for a slow
     * speaker's learned pauses) and the STT final: 3 s and 5 s keep those turns out of the +Inf bucket.
     */
    static final Duration[] EOU_BUCKETS = millis(150, 200, 250, 300, 400, 500, 800, 1000, 1500, 2000, 3000, 5000);
    /**
     * Five Kafka hops: a few ms idle (~1–2 ms per hop measured), tens of ms under load; on the latency buckets every
     * turn would fall into the first one.
     */
    static final Duration[] TRANSPORT_BUCKETS = millis(1, 2, 5, 10, 15, 20, 30, 50, 100, 200, 500);
    /** Engine processing time ÷ audio: streaming engines well under 1, anything over 1 falls behind the caller. */
    static final double[] RTF_BUCKETS = {0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0};
    /**
     * From a small local model on a CPU (a few tokens/s) to a hosted one (hundreds); whole numbers, as Micrometer
     * counts a value in the first bucket at or above its ceiling.
     */
    static final double[] TOKENS_PER_SECOND_BUCKETS = {5, 10, 20, 30, 50, 75, 100, 150, 200, 300};

    private final MeterRegistry registry;
    private final BoundedTagValues tagValues = new BoundedTagValues(BoundedTagValues.DEFAULT_LIMIT);
    private final Timer e2e;
    private final Timer eouDelay;
    private final Timer transport;
    private final FractionalHistogram sttRtf;

    public TurnHistograms(MeterRegistry registry) {
        this.registry = registry;
        sttRtf = new FractionalHistogram(registry, STT_RTF,
                "STT engine processing time divided by the audio it transcribed", ENGINE, RTF_BUCKETS);
        e2e = timer(E2E, "Last voiced frame (or text.input) at the gateway to first reply audio written",
                LATENCY_BUCKETS, Tags.empty());
        eouDelay = timer(EOU_DELAY, "End of speech to end-of-utterance decision (voice turns)", EOU_BUCKETS,
                Tags.empty());
        transport = timer(TRANSPORT, "Kafka hop delays summed over the turn's critical path", TRANSPORT_BUCKETS,
                Tags.empty());
    }

    public void observe(TurnReport report) {
        VoiceEvent.TurnMetrics metrics = report.metrics();
        record(e2e, metrics.e2e());
        record(transport, metrics.transport());

        Tags llm = Tags.of(ENGINE, tagValues.of("llm.engine", metrics.llmEngine()),
                PROVIDER, tagValues.of("llm.provider", metrics.llmProvider()),
                MODEL, tagValues.of("llm.model", metrics.llmModel()));
        if (usable(metrics.llmTtft())) {
            record(timer(LLM_TTFT, "LLM request to first token", LATENCY_BUCKETS, llm), metrics.llmTtft());
        }
        if (usable(metrics.firstClauseDelay())) {
            record(timer(LLM_FIRST_CLAUSE_DELAY, "First token to first clause released to TTS", LATENCY_BUCKETS,
                    llm), metrics.firstClauseDelay());
        }
        if (positive(metrics.tokensPerSecond())) { // 0 when nothing streamed after the first token: not a rate
            summary(LLM_TOKENS_PER_SECOND, "Completion tokens per second of streaming after the first token",
                    TOKENS_PER_SECOND_BUCKETS, llm).record(metrics.tokensPerSecond());
        }

        if (usable(metrics.ttsTtfb())) {
            record(timer(TTS_TTFB, "First clause at TTS to its first audio chunk", LATENCY_BUCKETS,
                    Tags.of(ENGINE, tagValues.of("tts.engine", metrics.ttsEngine()))), metrics.ttsTtfb());
        }

        Tags stt = Tags.of(ENGINE, tagValues.of("stt.engine", metrics.sttEngine()));
        if (positive(metrics.sttRtf())) { // 0 when no audio was transcribed
            sttRtf.record(stt.stream().findFirst().orElseThrow().getValue(), metrics.sttRtf());
        }
        if (!report.typed()) { // 0 by definition for typed input: it would only dilute the voice figures
            record(eouDelay, metrics.eouDelay());
            if (usable(metrics.transcriptionDelay())) {
                record(timer(TRANSCRIPTION_DELAY, "End of speech to final transcript at the LLM (voice turns)",
                        EOU_BUCKETS, stt), metrics.transcriptionDelay());
            }
        }
    }

    private static void record(Timer timer, Double ms) {
        if (usable(ms)) {
            timer.record(Duration.ofNanos(Math.round(ms * 1_000_000)));
        }
    }

    private static boolean usable(Double value) {
        return value != null && value >= 0 && !value.isInfinite() && !value.isNaN();
    }

    private static boolean positive(Double value) {
        return usable(value) && value > 0;
    }

    private Timer timer(String name, String description, Duration[] buckets, Tags tags) {
        return Timer.builder(name)
                .description(description)
                .tags(tags)
                .serviceLevelObjectives(buckets)
                .minimumExpectedValue(buckets[0]) // below the default minimum a value is counted in a higher bucket
                .register(registry);
    }

    private DistributionSummary summary(String name, String description, double[] buckets, Tags tags) {
        return DistributionSummary.builder(name)
                .description(description)
                .tags(tags)
                .serviceLevelObjectives(buckets)
                .minimumExpectedValue(buckets[0])
                .register(registry);
    }

    private static Duration[] millis(long... values) {
        return Arrays.stream(values).mapToObj(Duration::ofMillis).toArray(Duration[]::new);
    }
}
