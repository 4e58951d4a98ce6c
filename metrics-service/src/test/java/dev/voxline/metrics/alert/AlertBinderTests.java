package dev.voxline.metrics.alert;

import static dev.voxline.metrics.report.TurnFixtures.eou;
import static dev.voxline.metrics.report.TurnFixtures.gateway;
import static dev.voxline.metrics.report.TurnFixtures.llm;
import static dev.voxline.metrics.report.TurnFixtures.stt;
import static dev.voxline.metrics.report.TurnFixtures.tts;
import static dev.voxline.metrics.report.TurnFixtures.vad;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.cloud.stream.binder.test.InputDestination;
import org.springframework.cloud.stream.binder.test.OutputDestination;
import org.springframework.cloud.stream.binder.test.TestChannelBinderConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

/**
 * The alert path in the service's own context on Spring Cloud Stream's in-memory test binder: metric events of a
 * slow turn into {@code metricsIngest}, the transition out of the {@code alertTransitions} binding (voice.alerts),
 * the client's {@code alert} to its downlink partition (a recording transport stands in for the plain Kafka one).
 * The rule (e2e > 900 at once) makes the fixtures' 905 ms turn slow.
 */
@SpringBootTest(classes = MetricsApplication.class, properties = {
        "spring.config.name=metrics-service",
        "spring.cloud.stream.default-binder=integration",
        "voxline.kafka.declare-topics=false",
        "voxline.alerts.rules[0].id=e2e_slow",
        "voxline.alerts.rules[0].metric=e2e",
        "voxline.alerts.rules[0].statistic=max",
        "voxline.alerts.rules[0].threshold=900",
        "voxline.alerts.rules[0].for=0s",
        "voxline.alerts.rules[0].severity=critical"})
@Import({TestChannelBinderConfiguration.class, AlertBinderTests.Transport.class})
class AlertBinderTests {

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

    @Test
    void aSlowTurnFiresOnVoiceAlertsAndTellsItsOwnClient() {
        List<VoiceEvent> events = List.of(vad("s-slow", "t-1"), stt("s-slow", "t-1"), eou("s-slow", "t-1"),
                llm("s-slow", "t-1", "g-1", false), tts("s-slow", "t-1", "g-1", false),
                gateway("s-slow", "t-1", false, false));
        for (VoiceEvent event : events) {
            input.send(MessageBuilder.withPayload(JsonCodec.get().encode(event))
                    .setHeader(VoxHeaders.DOWNLINK, "4".getBytes(StandardCharsets.UTF_8))
                    .build(), Topics.METRICS);
        }

        Message<byte[]> published = output.receive(5_000, Topics.ALERTS);
        assertThat(published).isNotNull();
        assertThat(published.getHeaders().get(KafkaHeaders.KEY)).isEqualTo("e2e_slow".getBytes(StandardCharsets.UTF_8));
        VoiceEvent.AlertTransition transition = (VoiceEvent.AlertTransition) JsonCodec.get()
                .decodeEvent(published.getPayload());
        assertThat(transition.state()).isEqualTo("firing");
        assertThat(transition.value()).isEqualTo(905.0);

        assertThat(((RecordingTransport) transport).downlink()).filteredOn(sent -> sent.type().equals("alert"))
                .singleElement().satisfies(sent -> {
                    assertThat(sent.route().sessionId()).isEqualTo("s-slow");
                    assertThat(sent.route().downlinkPartition()).isEqualTo(4);
                    assertThat(((VoiceEvent.Alert) sent.event()).turnId()).isEqualTo("t-1");
                });
    }

    @Test
    void invalidRulesStopTheServiceAtStartWithEveryProblemNamed() {
        SpringApplicationBuilder service = new SpringApplicationBuilder(MetricsApplication.class,
                TestChannelBinderConfiguration.class, Transport.class);
        String[] args = { // command-line arguments: above metrics-service.yml, whose default rules they replace
                "--spring.config.name=metrics-service",
                "--server.port=0",
                "--spring.cloud.stream.default-binder=integration",
                "--voxline.kafka.declare-topics=false",
                "--voxline.alerts.rules[0].id=e2e_slow",
                "--voxline.alerts.rules[0].metric=e2e_latency",
                "--voxline.alerts.rules[0].statistic=p95",
                "--voxline.alerts.rules[0].threshold=900"};
        assertThatThrownBy(() -> service.run(args).close()).rootCause()
                .isInstanceOf(InvalidAlertRulesException.class)
                .hasMessageContaining("invalid alert rules in voxline.alerts.rules: rule 'e2e_slow' (rules[0]): "
                        + "field 'metric': unknown metric 'e2e_latency'");
    }
}
