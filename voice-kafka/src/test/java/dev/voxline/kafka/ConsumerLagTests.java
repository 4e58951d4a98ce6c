package dev.voxline.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The lag gauge against Kafka's MockConsumer: its {@code currentLag} is end offset − position, as the real one. */
class ConsumerLagTests {

    private static final TopicPartition AUDIO_0 = new TopicPartition("voice.audio.in", 0);
    private static final TopicPartition AUDIO_1 = new TopicPartition("voice.audio.in", 1);
    private static final TopicPartition CONTROL_0 = new TopicPartition("voice.control", 0);
    private static final long SECOND = 1_000_000_000L;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("latest");

    @Test
    void sumsEndOffsetMinusPositionOverTheAssignedPartitionsOfEachTopic() {
        consumer.assign(List.of(AUDIO_0, AUDIO_1, CONTROL_0));
        consumer.updateBeginningOffsets(Map.of(AUDIO_0, 0L, AUDIO_1, 0L, CONTROL_0, 0L));
        consumer.updateEndOffsets(Map.of(AUDIO_0, 10L, AUDIO_1, 5L, CONTROL_0, 2L));
        consumer.seek(AUDIO_0, 4);
        consumer.seek(AUDIO_1, 0);
        consumer.seek(CONTROL_0, 2);

        try (ConsumerLag lag = new ConsumerLag(registry, "stt-service", List.of("voice.audio.in", "voice.control"))) {
            lag.update(consumer, 0);

            assertThat(registry.scrape()).contains(
                    "# TYPE voice_kafka_consumer_lag_records gauge",
                    "voice_kafka_consumer_lag_records{group=\"stt-service\",topic=\"voice.audio.in\"} 11.0",
                    "voice_kafka_consumer_lag_records{group=\"stt-service\",topic=\"voice.control\"} 0.0");
        }
    }

    @Test
    void updatesAtMostOncePerIntervalAndForgetsPartitionsNoLongerAssigned() {
        consumer.assign(List.of(AUDIO_0, AUDIO_1));
        consumer.updateEndOffsets(Map.of(AUDIO_0, 3L, AUDIO_1, 4L));
        consumer.seek(AUDIO_0, 0);
        consumer.seek(AUDIO_1, 0);
        try (ConsumerLag lag = new ConsumerLag(registry, "stt-service", List.of("voice.audio.in"))) {
            lag.update(consumer, 0);
            assertThat(gauge()).isEqualTo(7.0);

            consumer.assign(List.of(AUDIO_1)); // a rebalance took partition 0 away
            lag.update(consumer, SECOND / 2);
            assertThat(gauge()).isEqualTo(7.0);
            lag.update(consumer, SECOND);
            assertThat(gauge()).isEqualTo(4.0);
        }
    }

    @Test
    void aConsumerWithoutAGroupIsNoneAndClosingRemovesTheGauges() {
        ConsumerLag lag = new ConsumerLag(registry, null, List.of("voice.downlink"));
        assertThat(registry.scrape()).contains("voice_kafka_consumer_lag_records{group=\"none\",topic=\"voice.downlink\"} 0.0");

        lag.close();

        assertThat(registry.scrape()).doesNotContain("voice_kafka_consumer_lag_records");
    }

    private double gauge() {
        return registry.get(ConsumerLag.METER).tag("topic", "voice.audio.in").gauge().value();
    }
}
