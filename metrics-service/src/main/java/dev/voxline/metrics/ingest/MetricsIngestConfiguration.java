package dev.voxline.metrics.ingest;

import dev.voxline.contracts.Topics;
import dev.voxline.kafka.TopicDeclarer;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.cloud.stream.config.ListenerContainerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.messaging.Message;

/**
 * voice.metrics on Spring Cloud Stream's Kafka binder with an imperative functional bean (DESIGN.md §2: low-rate
 * events; never the reactive {@code Function<Flux,Flux>} style). The binding itself is configured in
 * metrics-service.yml ({@code metricsIngest-in-0}).
 */
@Configuration(proxyBeanMethods = false)
public class MetricsIngestConfiguration {

    @Bean
    EventTally eventTally(MeterRegistry registry) {
        return new EventTally(registry);
    }

    @Bean
    Consumer<Message<byte[]>> metricsIngest(EventTally tally) {
        return new MetricsIngest(tally);
    }

    @Bean
    IngestReadiness metricsIngestHealthIndicator() {
        return new IngestReadiness();
    }

    /** No synchronous commit per batch (DESIGN.md §2); also registers each container for readiness. */
    @Bean
    ListenerContainerCustomizer<AbstractMessageListenerContainer<?, ?>> metricsContainerCustomizer(
            IngestReadiness readiness) {
        return (container, destination, group) -> {
            container.getContainerProperties().setSyncCommits(false);
            readiness.track(container, destination, group);
        };
    }

    /**
     * Declares voice.metrics with the shared layout (same partition count as every sessionId-keyed topic) before
     * the binder starts, so the binder's own provisioning finds it instead of creating it with broker defaults.
     */
    @Bean
    SmartInitializingSingleton metricsTopicsDeclared(TopicDeclarer declarer) {
        return () -> declarer.declare(List.of(Topics.METRICS));
    }
}
