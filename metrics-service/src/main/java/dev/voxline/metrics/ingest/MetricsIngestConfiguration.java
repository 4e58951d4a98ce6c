package dev.voxline.metrics.ingest;

import dev.voxline.contracts.Topics;
import dev.voxline.kafka.TopicDeclarer;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.metrics.report.TurnReporter;
import dev.voxline.metrics.summary.EventTally;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.cloud.stream.config.ListenerContainerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.messaging.Message;

/**
 * voice.metrics on Spring Cloud Stream's Kafka binder with an imperative functional bean (docs/architecture.md §3: low-rate
 * events; never the reactive {@code Function<Flux,Flux>} style). The binding itself is configured in
 * metrics-service.yml ({@code metricsIngest-in-0}).
 */
@Configuration(proxyBeanMethods = false)
public class MetricsIngestConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MetricsIngestConfiguration.class);

    @Bean
    EventTally eventTally(MeterRegistry registry) {
        return new EventTally(registry);
    }

    @Bean
    Consumer<Message<byte[]>> metricsIngest(EventTally tally, TurnReporter turns, MeterRegistry registry) {
        return new MetricsIngest(tally, turns, new InterruptionCounters(registry));
    }

    @Bean
    IngestReadiness metricsIngestHealthIndicator() {
        return new IngestReadiness();
    }

    /** No synchronous commit per batch; also registers each container for readiness. */
    @Bean
    ListenerContainerCustomizer<AbstractMessageListenerContainer<?, ?>> metricsContainerCustomizer(
            IngestReadiness readiness) {
        return (container, destination, group) -> {
            container.getContainerProperties().setSyncCommits(false);
            readiness.track(container, destination, group);
        };
    }

    /**
     * Declares the topics metrics-service uses with the shared layout (same partition count as every
     * sessionId-keyed topic) before the binder starts, so the binder's own provisioning finds voice.metrics and
     * voice.turns instead of creating them with broker defaults; voice.downlink because reports go to the client
     * too. Then fetches the downlink's producer metadata, so the first report does not wait for it on the
     * ingest thread.
     */
    @Bean
    SmartInitializingSingleton metricsTopicsDeclared(TopicDeclarer declarer, VoiceTransport transport) {
        return () -> {
            declarer.declare(List.of(Topics.METRICS, Topics.TURNS, Topics.DOWNLINK));
            try {
                transport.prepare(List.of(Topics.DOWNLINK));
            } catch (RuntimeException e) { // reports still go to voice.turns; the transport logs failed sends
                log.warn("no producer metadata for {} yet: {}", Topics.DOWNLINK, e.toString());
            }
        };
    }
}
