package dev.voxline.metrics.report;

import static dev.voxline.metrics.report.TurnFixtures.eou;
import static dev.voxline.metrics.report.TurnFixtures.gateway;
import static dev.voxline.metrics.report.TurnFixtures.llm;
import static dev.voxline.metrics.report.TurnFixtures.stt;
import static dev.voxline.metrics.report.TurnFixtures.tts;
import static dev.voxline.metrics.report.TurnFixtures.vad;
import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.Topics;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.kafka.testing.RecordingTransport;
import dev.voxline.metrics.MetricsApplication;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.cloud.stream.binder.test.InputDestination;
import org.springframework.cloud.stream.binder.test.OutputDestination;
import org.springframework.cloud.stream.binder.test.TestChannelBinderConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The whole report path in one Spring context on Spring Cloud Stream's in-memory test binder: metric events into
 * the {@code metricsIngest} binding, the report out of the {@code turnReports} binding (voice.turns), to the
 * client's downlink partition (a recording transport stands in for the plain Kafka one) and on the REST endpoint.
 */
@SpringBootTest(classes = MetricsApplication.class, properties = {
        "spring.config.name=metrics-service",
        "spring.cloud.stream.default-binder=integration",
        "voxline.kafka.declare-topics=false"})
@Import({TestChannelBinderConfiguration.class, TurnReportBinderTests.Transport.class})
class TurnReportBinderTests {

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
    private OutputDestination output;

    @Autowired
    private VoiceTransport transport;

    @Autowired
    private ApplicationContext context;

    @Test
    void metricEventsOfATurnYieldOneReportOnVoiceTurnsTheDownlinkAndRest() {
        List<VoiceEvent> events = List.of(vad("s-bind", "t-1"), stt("s-bind", "t-1"), eou("s-bind", "t-1"),
                llm("s-bind", "t-1", "g-1", false), tts("s-bind", "t-1", "g-1", false),
                gateway("s-bind", "t-1", false, false));
        for (VoiceEvent event : events) {
            input.send(MessageBuilder.withPayload(JsonCodec.get().encode(event))
                    .setHeader(VoxHeaders.DOWNLINK, "7".getBytes(StandardCharsets.UTF_8))
                    .build(), Topics.METRICS);
        }

        Message<byte[]> published = output.receive(5_000, Topics.TURNS);

        assertThat(published).isNotNull();
        assertThat(published.getHeaders().get(KafkaHeaders.KEY)).isEqualTo("s-bind".getBytes(StandardCharsets.UTF_8));
        VoiceEvent.TurnMetrics report = (VoiceEvent.TurnMetrics) JsonCodec.get().decodeEvent(published.getPayload());
        assertThat(report.turnId()).isEqualTo("t-1");
        assertThat(report.e2e()).isEqualTo(905.0);
        assertThat(report.transport()).isEqualTo(6.0);
        assertThat(report.reason()).isNull();
        assertThat(output.receive(100, Topics.TURNS)).as("one report per turn").isNull();

        assertThat(((RecordingTransport) transport).downlink()).singleElement().satisfies(sent -> {
            assertThat(sent.route().downlinkPartition()).isEqualTo(7);
            assertThat(sent.event()).isEqualTo(report);
        });

        WebTestClient.bindToApplicationContext(context).build()
                .get().uri("/api/v1/turns?session=s-bind&limit=5")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.length()").isEqualTo(1)
                .jsonPath("$[0].turnId").isEqualTo("t-1")
                .jsonPath("$[0].eou_delay").isEqualTo(450.0);
    }
}
