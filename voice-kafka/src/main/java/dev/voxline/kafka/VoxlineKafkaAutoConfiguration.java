package dev.voxline.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

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
