package dev.voxline.gateway.socket;

import dev.voxline.gateway.RecordingTransport;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The gateway's WebSocket slice without a broker, on a random port: a {@link RecordingTransport} stands in for
 * Kafka, and tests hand downlink records to the session registry as the downlink reader would. Every test class with
 * this annotation shares one application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=gateway-service",
        "voxline.gateway.downlink.enabled=false",
        "spring.autoconfigure.exclude=dev.voxline.kafka.spring.VoxlineKafkaAutoConfiguration"})
@Import(GatewaySocketTest.FakeKafka.class)
@interface GatewaySocketTest {

    /** The recording transport in place of Kafka. */
    @TestConfiguration(proxyBeanMethods = false)
    class FakeKafka {
        @Bean
        RecordingTransport recordingTransport() {
            return new RecordingTransport();
        }
    }
}
