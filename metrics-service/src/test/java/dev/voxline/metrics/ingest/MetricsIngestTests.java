package dev.voxline.metrics.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.entry;

import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.kafka.testing.RecordingTransport;
import dev.voxline.metrics.report.RecentTurnReports;
import dev.voxline.metrics.report.TurnHistograms;
import dev.voxline.metrics.report.TurnReportAssembler;
import dev.voxline.metrics.report.TurnReporter;
import dev.voxline.metrics.summary.EventTally;
import dev.voxline.metrics.summary.RollingWindows;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

class MetricsIngestTests {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final EventTally tally = new EventTally(registry);
    private final RecordingTransport transport = new RecordingTransport();
    private final List<VoiceEvent.TurnMetrics> turnsTopic = new CopyOnWriteArrayList<>();
    private final MetricsIngest ingest = new MetricsIngest(tally, new TurnReporter(
            new TurnReportAssembler(Clock.systemUTC(), Duration.ofMinutes(1), 100, 100), turnsTopic::add, transport,
            new TurnHistograms(registry), new RecentTurnReports(10), new RollingWindows(Clock.systemUTC(), 100, 10, 10)));

    @Test
    void countsKnownEventsPerType() {
        ingest(JsonCodec.get().encode(new VoiceEvent.TranscriptFinal("s-1", "t-1", "hello", false)));
        ingest(JsonCodec.get().encode(new VoiceEvent.TranscriptFinal("s-2", "t-2", "hi", true)));
        ingest(JsonCodec.get().encode(new VoiceEvent.SessionEnded("s-1", "client")));

        assertThat(tally.snapshot()).containsOnly(entry("transcript.final", 2L), entry("session.ended", 1L));
        assertThat(registry.get(EventTally.METER).tag("type", "transcript.final").counter().count()).isEqualTo(2.0);
    }

    @Test
    void countsUnknownTypesWithoutThrowing() {
        assertThatCode(() -> ingest("{\"type\":\"turn.report.v9\",\"v\":9,\"sessionId\":\"s-1\"}"))
                .doesNotThrowAnyException();
        ingest("{\"type\":\"something.else\"}");

        assertThat(tally.snapshot()).containsOnlyKeys(EventTally.UNKNOWN);
        assertThat(tally.snapshot().get(EventTally.UNKNOWN)).isEqualTo(2L);
    }

    @Test
    void countsUnreadableRecordsAsInvalidWithoutThrowing() {
        assertThatCode(() -> {
            ingest("{not json");
            ingest("{\"v\":1}");
            ingest("null");
            ingest(new byte[0]);
        }).doesNotThrowAnyException();

        assertThat(tally.snapshot()).containsOnlyKeys(EventTally.INVALID);
        assertThat(tally.snapshot().get(EventTally.INVALID)).isEqualTo(4L);
    }

    @Test
    void ignoresUnknownFieldsOfKnownTypes() {
        ingest("{\"type\":\"session.ended\",\"v\":2,\"ts\":1,\"sessionId\":\"s-1\",\"reason\":\"x\",\"newField\":[1]}");

        assertThat(tally.snapshot()).containsOnlyKeys("session.ended");
    }

    @Test
    void turnMetricsAreCountedAndReportedToTheSessionsDownlinkPartition() {
        ingest.accept(MessageBuilder.withPayload(JsonCodec.get().encode(new VoiceEvent.GatewayTurnMetrics("s-1",
                        "t-1", null, 1L, 0L, false, false, 0, 0, -1, false)))
                .setHeader(VoxHeaders.DOWNLINK, "5".getBytes(StandardCharsets.UTF_8))
                .build());

        assertThat(tally.snapshot()).containsOnly(entry("metrics.turn", 1L));
        assertThat(turnsTopic).singleElement()
                .satisfies(report -> assertThat(report.reason()).startsWith("no reply audio"));
        assertThat(transport.downlink()).singleElement()
                .satisfies(sent -> assertThat(sent.route().downlinkPartition()).isEqualTo(5));
    }

    @Test
    void readsTheDownlinkHeaderAsKafkaBytesStringOrNumber() {
        assertThat(MetricsIngest.downlinkPartition(withDownlink("11".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(11);
        assertThat(MetricsIngest.downlinkPartition(withDownlink("2"))).isEqualTo(2);
        assertThat(MetricsIngest.downlinkPartition(withDownlink(7))).isEqualTo(7);
        assertThat(MetricsIngest.downlinkPartition(withDownlink("x"))).isEqualTo(-1);
        assertThat(MetricsIngest.downlinkPartition(MessageBuilder.withPayload(new byte[0]).build())).isEqualTo(-1);
    }

    private static Message<byte[]> withDownlink(Object value) {
        return MessageBuilder.withPayload(new byte[0]).setHeader(VoxHeaders.DOWNLINK, value).build();
    }

    private void ingest(String json) {
        ingest(json.getBytes(StandardCharsets.UTF_8));
    }

    private void ingest(byte[] payload) {
        ingest.accept(MessageBuilder.withPayload(payload).build());
    }
}
