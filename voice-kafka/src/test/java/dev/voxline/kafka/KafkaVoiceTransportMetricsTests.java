package dev.voxline.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the transport puts into a registry, without a broker: Kafka clients are created without connecting, and
 * their metrics exist from the start. The lag itself is {@link ConsumerLagTests}.
 */
class KafkaVoiceTransportMetricsTests {

    private static final VoxlineKafkaSettings NO_BROKER = VoxlineKafkaSettings.defaults()
            .withBootstrapServers("127.0.0.1:1").withDeclareTopics(false);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void everyClientsMetricsAndEachConsumersLagAreThereWhileItLivesNamedByGroup() {
        KafkaVoiceTransport transport = new KafkaVoiceTransport(NO_BROKER, "stt-service", registry);
        transport.subscribe("stt-service", List.of("voice.audio.in", "voice.control"), record -> { });
        transport.assign("voice.downlink", List.of(0, 1, 2), record -> { });

        String scrape = registry.scrape();
        assertThat(scrape).contains(
                "client_id=\"stt-service-producer\"",
                "client_id=\"stt-service-stt-service\"",
                "client_id=\"stt-service-voice.downlink-assigned\"",
                "voice_kafka_consumer_lag_records{group=\"stt-service\",topic=\"voice.audio.in\"}",
                "voice_kafka_consumer_lag_records{group=\"stt-service\",topic=\"voice.control\"}",
                "voice_kafka_consumer_lag_records{group=\"none\",topic=\"voice.downlink\"}");

        transport.close();

        assertThat(registry.scrape()).doesNotContain("client_id=\"stt-service", "voice_kafka_consumer_lag_records");
    }

    @Test
    void withoutARegistryNothingIsMeasured() {
        KafkaVoiceTransport transport = new KafkaVoiceTransport(NO_BROKER, "stt-service");
        transport.subscribe("stt-service", List.of("voice.control"), record -> { });
        transport.close();
        assertThat(registry.getMeters()).isEmpty();
    }
}
