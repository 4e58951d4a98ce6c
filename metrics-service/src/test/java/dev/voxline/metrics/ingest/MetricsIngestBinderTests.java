package dev.voxline.metrics.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.kafka.testing.RecordingTransport;
import dev.voxline.metrics.MetricsApplication;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.cloud.stream.binder.test.InputDestination;
import org.springframework.cloud.stream.binder.test.TestChannelBinderConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The {@code metricsIngest} binding and the REST summary in one Spring context, on Spring Cloud Stream's in-memory
 * test binder (the real broker is covered by voxline-local's integration tests).
 */
@SpringBootTest(classes = MetricsApplication.class, properties = {
        "spring.config.name=metrics-service",
        "spring.cloud.stream.default-binder=integration",
        "voxline.kafka.declare-topics=false"})
@Import({TestChannelBinderConfiguration.class, MetricsIngestBinderTests.Transport.class})
class MetricsIngestBinderTests {

    /** No broker here: the plain transport (reports to the client, its start-up metadata fetch) is recorded. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Transport {
        @Bean
        RecordingTransport recordingTransport() {
            return new RecordingTransport();
        }
    }

    @Autowired
    private InputDestination input;

    @Autowired
    private ApplicationContext context;

    @Test
    void eventsOnVoiceMetricsShowUpInTheSummary() {
        input.send(MessageBuilder.withPayload(JsonCodec.get().encode(
                new VoiceEvent.TranscriptFinal("s-1", "t-1", "hello", false))).build(), "voice.metrics");
        input.send(MessageBuilder.withPayload("{\"type\":\"from.the.future\"}".getBytes(StandardCharsets.UTF_8))
                .build(), "voice.metrics");

        WebTestClient.bindToApplicationContext(context).build()
                .get().uri("/api/v1/metrics/summary")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.eventsTotal").isEqualTo(2)
                .jsonPath("$.eventsByType['transcript.final']").isEqualTo(1)
                .jsonPath("$.eventsByType.unknown").isEqualTo(1)
                .jsonPath("$.turns.lastTurns.turns").isEqualTo(10)
                .jsonPath("$.turns.lastSeconds.seconds").isEqualTo(60);
    }

    @Test
    void aSessionWithoutReportedTurnsHasNoSummaryAndBadWindowsAreRefused() {
        WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
        client.get().uri("/api/v1/sessions/sess_nobody/summary").exchange().expectStatus().isNotFound();
        client.get().uri("/api/v1/metrics/summary?lastTurns=0").exchange().expectStatus().isBadRequest();
        client.get().uri("/api/v1/metrics/summary?lastTurns=5&lastSeconds=30").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.turns.lastTurns.turns").isEqualTo(5)
                .jsonPath("$.turns.lastSeconds.seconds").isEqualTo(30);
    }
}
