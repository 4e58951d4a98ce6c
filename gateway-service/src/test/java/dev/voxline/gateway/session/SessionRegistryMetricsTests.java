package dev.voxline.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.gateway.downlink.DownlinkPartitions;
import dev.voxline.kafka.SessionRoute;
import dev.voxline.kafka.VoiceTracing;
import dev.voxline.kafka.VoiceTransport;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The gateway's share of the Prometheus names: the sessions it holds, and nothing of the turn report. */
class SessionRegistryMetricsTests {

    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final SessionRegistry registry = new SessionRegistry(new GatewayProperties(InstanceIndex.of(0), 65536,
            2000, 16384, false, Duration.ofMillis(200), 1000, Duration.ofSeconds(2), 20, 60, 10, true, List.of()),
            new DownlinkPartitions(0, 3, 4), new SilentTransport(), meters, System::currentTimeMillis,
            VirtualTimeScheduler.create(), VoiceTracing.NOOP);

    @Test
    void voiceSessionsActiveCountsTheSessionsHeldHere() {
        GatewaySession first = registry.open();
        registry.open();
        assertThat(meters.scrape()).contains("# TYPE voice_sessions_active gauge", "voice_sessions_active 2.0");

        registry.close(first);

        String scrape = meters.scrape();
        assertThat(scrape).contains("voice_sessions_active 1.0");
        assertThat(scrape).doesNotContain("voice_turn_", "voice_llm_", "voice_tts_", "voice_interruptions");
    }

    private static final class SilentTransport implements VoiceTransport {
        @Override
        public void publish(String topic, SessionRoute route, VoiceEvent event) {
        }

        @Override
        public void publishAudio(String topic, SessionRoute route, byte[] pcm, Map<String, String> headers) {
        }

        @Override
        public Subscription subscribe(String groupId, Collection<String> topics, RecordHandler handler) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Subscription assign(String topic, Collection<Integer> partitions, RecordHandler handler) {
            throw new UnsupportedOperationException();
        }
    }
}
