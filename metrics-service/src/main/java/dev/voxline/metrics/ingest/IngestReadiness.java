package dev.voxline.metrics.ingest;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.TopicPartition;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;

/**
 * Readiness of the Spring Cloud Stream consumers, which voice-kafka's {@code kafkaHealthIndicator} does not see: UP
 * once every bound listener container runs and holds partitions, so a metric event sent from then on is ingested.
 * OUT_OF_SERVICE before the bindings start. (With more metrics-service instances than voice.metrics partitions an
 * idle instance would stay OUT_OF_SERVICE; the topic has 12.)
 */
public final class IngestReadiness implements HealthIndicator {

    private final List<Tracked> containers = new CopyOnWriteArrayList<>();

    void track(AbstractMessageListenerContainer<?, ?> container, String destination, String group) {
        containers.add(new Tracked(container, destination + "/" + group));
    }

    @Override
    public Health health() {
        if (containers.isEmpty()) {
            return Health.outOfService().withDetail("bindings", "not started").build();
        }
        boolean ready = true;
        Map<String, Object> details = new LinkedHashMap<>();
        for (Tracked tracked : containers) {
            Collection<TopicPartition> assigned = tracked.container().getAssignedPartitions();
            int partitions = assigned == null ? 0 : assigned.size();
            boolean running = tracked.container().isRunning();
            ready &= running && partitions > 0;
            details.put(tracked.name(), Map.of("running", running, "partitions", partitions));
        }
        return (ready ? Health.up() : Health.outOfService()).withDetails(details).build();
    }

    private record Tracked(AbstractMessageListenerContainer<?, ?> container, String name) {
    }
}
