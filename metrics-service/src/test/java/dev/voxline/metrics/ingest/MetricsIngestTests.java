package dev.voxline.metrics.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.entry;

import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.event.VoiceEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.support.MessageBuilder;

class MetricsIngestTests {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final EventTally tally = new EventTally(registry);
    private final MetricsIngest ingest = new MetricsIngest(tally);

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

    private void ingest(String json) {
        ingest(json.getBytes(StandardCharsets.UTF_8));
    }

    private void ingest(byte[] payload) {
        ingest.accept(MessageBuilder.withPayload(payload).build());
    }
}
