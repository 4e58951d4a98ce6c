package dev.voxline.kafka.spring;

import dev.voxline.kafka.KafkaVoiceTransport;
import dev.voxline.kafka.SessionStage;
import dev.voxline.kafka.TopicDeclarer;
import dev.voxline.kafka.VoiceTracing;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.kafka.VoxlineKafkaSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationPredicate;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/**
 * The Spring side of voice-kafka: binds {@code voxline.kafka.*}, makes the transport (unless the context has a
 * {@link VoiceTransport} already, like the in-process one), topic declaration and tracing, starts the stages, and
 * adds Kafka to readiness.
 */
@AutoConfiguration
@EnableConfigurationProperties(VoxlineKafkaProperties.class)
public class VoxlineKafkaAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(VoxlineKafkaSettings.class)
    VoxlineKafkaSettings voxlineKafkaSettings(VoxlineKafkaProperties properties) {
        return properties.settings();
    }

    /** The Kafka clients' metrics and the consumers' lag go to the application's registry (none: nowhere). */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(VoiceTransport.class)
    KafkaVoiceTransport voiceTransport(VoxlineKafkaSettings settings,
                                       @Value("${spring.application.name:voxline}") String applicationName,
                                       ObjectProvider<MeterRegistry> meters) {
        return new KafkaVoiceTransport(settings, applicationName, meters.getIfAvailable());
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
    TopicDeclarer topicDeclarer(VoxlineKafkaSettings settings) {
        return new TopicDeclarer(settings);
    }

    @Bean
    SessionStageLifecycle sessionStageLifecycle(ObjectProvider<SessionStage<?>> stages,
                                                ObjectProvider<VoiceTracing> tracing) {
        return new SessionStageLifecycle(stages, tracing);
    }

    @Bean
    @ConditionalOnBean(KafkaVoiceTransport.class)
    KafkaHealthIndicator kafkaHealthIndicator(KafkaVoiceTransport transport) {
        return new KafkaHealthIndicator(transport);
    }

    @Bean
    @ConditionalOnBean(KafkaVoiceTransport.class)
    @ConditionalOnBooleanProperty("management.endpoint.health.probes.enabled")
    KafkaReadinessGroup kafkaReadinessGroup() {
        return new KafkaReadinessGroup();
    }
}
