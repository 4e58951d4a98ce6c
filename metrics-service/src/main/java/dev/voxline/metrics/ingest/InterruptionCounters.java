package dev.voxline.metrics.ingest;

import dev.voxline.contracts.event.VoiceEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Interruptions of the agent in Prometheus: {@code voice_interruptions_total} by {@code kind} (barge_in, client,
 * typed, false_interruption, backchannel — the seed's {@code user_interruptions}, with the ones that did not stop the
 * agent told apart) and {@code voice_interruption_stop_seconds}: from the decision to interrupt to the agent's last
 * audio byte sent, with buckets around its 50 ms goal.
 */
public final class InterruptionCounters {

    public static final String INTERRUPTIONS = "voice.interruptions";
    public static final String STOP_DELAY = "voice.interruption.stop";

    private final MeterRegistry registry;
    private final Timer stopDelay;

    public InterruptionCounters(MeterRegistry registry) {
        this.registry = registry;
        this.stopDelay = Timer.builder(STOP_DELAY)
                .description("Interruption decided to the agent's last reply audio byte sent")
                .serviceLevelObjectives(millis(5), millis(10), millis(20), millis(30), millis(50), millis(100),
                        millis(200), millis(500))
                .register(registry);
    }

    public void observe(VoiceEvent.InterruptionMetrics event) {
        String kind = event.kind() != null ? event.kind() : "unknown";
        Counter.builder(INTERRUPTIONS).description("Interruptions of the agent (and false ones) by kind")
                .tag("kind", kind).register(registry).increment();
        if (event.stopDelayMs() >= 0) {
            stopDelay.record(Duration.ofNanos(Math.round(event.stopDelayMs() * 1_000_000)));
        }
    }

    private static Duration millis(long ms) {
        return Duration.ofMillis(ms);
    }
}
