package dev.voxline.metrics.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.event.VoiceEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InterruptionCountersTests {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final InterruptionCounters counters = new InterruptionCounters(registry);

    @Test
    void countsEachKindAndTimesTheStopsThatWereMeasured() {
        counters.observe(new VoiceEvent.InterruptionMetrics("s", "t1", VoiceEvent.InterruptionMetrics.BARGE_IN, 12.5));
        counters.observe(new VoiceEvent.InterruptionMetrics("s", "t2", VoiceEvent.InterruptionMetrics.BARGE_IN, 30));
        counters.observe(new VoiceEvent.InterruptionMetrics("s", "t3",
                VoiceEvent.InterruptionMetrics.BACKCHANNEL, -1));

        assertThat(registry.get(InterruptionCounters.INTERRUPTIONS).tag("kind", "barge_in").counter().count())
                .isEqualTo(2);
        assertThat(registry.get(InterruptionCounters.INTERRUPTIONS).tag("kind", "backchannel").counter().count())
                .isEqualTo(1);
        assertThat(registry.get(InterruptionCounters.STOP_DELAY).timer().count()).isEqualTo(2);
        assertThat(registry.get(InterruptionCounters.STOP_DELAY).timer().max(TimeUnit.MILLISECONDS)).isEqualTo(30);
    }
}
