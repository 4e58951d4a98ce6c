package dev.voxline.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationPredicate;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/** The transport, topic declaration and a Kafka readiness check for every Voxline service. */
@AutoConfiguration
@EnableConfigurationProperties(VoxlineKafkaProperties.class)
public class VoxlineKafkaAutoConfiguration {

    /** The Kafka clients' metrics and the consumers' lag go to the application's registry (none: nowhere). */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(VoiceTransport.class)
    KafkaVoiceTransport voiceTransport(VoxlineKafkaProperties properties,
                                       @Value("${spring.application.name:voxline}") String applicationName,
                                       ObjectProvider<MeterRegistry> meters) {
        return new KafkaVoiceTransport(properties, applicationName, meters.getIfAvailable());
    }

    /** The turn's trace across services; without a tracer (a service built without tracing) a no-op. */
    @Bean
    @ConditionalOnMissingBean(VoiceTracing.class)
    VoiceTracing voiceTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator,
                              @Value("${voxline.tracing.enabled:true}") boolean enabled,
                              @Value("${voxline.tracing.record-text:false}") boolean recordText) {
        Tracer available = tracer.getIfAvailable();
        Propagator propagation = propagator.getIfAvailable();
        return !enabled || available == null || propagation == null ? VoiceTracing.NOOP
                : new VoiceTracing(available, propagation, recordText);
    }

    /**
     * Health probes and scrapes are not traced: every service is probed every few seconds, and a trace per probe
     * would bury the turns in Jaeger.
     */
    @Bean
    ObservationPredicate actuatorRequestsUntraced() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext request
                && request.getCarrier().getPath().value().startsWith("/actuator"));
    }

    @Bean
    TopicDeclarer topicDeclarer(VoxlineKafkaProperties properties) {
        return new TopicDeclarer(properties);
    }

    /** Boot's health does not look at Kafka: this is UP only once every consumer has its partitions. */
    @Bean
    @ConditionalOnBean(KafkaVoiceTransport.class)
    HealthIndicator kafkaHealthIndicator(KafkaVoiceTransport transport) {
        return () -> (transport.subscriptionsReady() ? Health.up() : Health.outOfService())
                .withDetails(transport.describe()).build();
    }
}
