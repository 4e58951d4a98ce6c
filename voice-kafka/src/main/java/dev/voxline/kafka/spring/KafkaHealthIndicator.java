package dev.voxline.kafka.spring;

import dev.voxline.kafka.KafkaVoiceTransport;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Boot's health does not look at Kafka: this is UP only once every consumer of the transport has its partitions
 * (OUT_OF_SERVICE before). It belongs to readiness, not liveness ({@link KafkaReadinessGroup}): a service waiting for
 * its partitions is alive and must not be restarted for it.
 */
public final class KafkaHealthIndicator implements HealthIndicator {

    /** Its name in the health endpoint (the bean is {@code kafkaHealthIndicator}). */
    public static final String NAME = "kafka";

    private final KafkaVoiceTransport transport;

    public KafkaHealthIndicator(KafkaVoiceTransport transport) {
        this.transport = transport;
    }

    @Override
    public Health health() {
        return (transport.subscriptionsReady() ? Health.up() : Health.outOfService())
                .withDetails(transport.describe()).build();
    }
}
