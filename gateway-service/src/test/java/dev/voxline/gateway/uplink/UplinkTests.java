package dev.voxline.gateway.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.Topics;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.gateway.RecordingTransport;
import dev.voxline.kafka.SessionRoute;
import java.util.List;
import org.junit.jupiter.api.Test;

class UplinkTests {

    private static final SessionRoute ROUTE = new SessionRoute("sess_up", 1, null);
    private static final long T0 = 1_700_000_000_000_000L;

    private final RecordingTransport transport = new RecordingTransport();

    @Test
    void callerAudioBecomesNumberedPipelineFramesWithTheirArrivalsAndWhetherTheAgentSpoke() {
        Uplink uplink = new Uplink(ROUTE, transport, 16_000, () -> 1, 1, null);
        uplink.accept(new byte[320], T0, false); // 10 ms: half a frame, nothing yet
        uplink.accept(new byte[960], T0 + 20_000, true); // completes frame 0, then frame 1

        List<RecordingTransport.Published> records = transport.on(Topics.AUDIO_IN);
        assertThat(records).hasSize(2);
        assertThat(records.get(0).pcm()).hasSize(640);
        assertThat(records.get(0).route()).isEqualTo(ROUTE);
        assertThat(records.get(0).headers())
                .containsEntry(VoxHeaders.SEQ, "0")
                .containsEntry(VoxHeaders.ARRIVAL_US, Long.toString(T0 + 20_000))
                .containsEntry(VoxHeaders.AGENT_SPEAKING, "true")
                .containsEntry(VoxHeaders.SAMPLE_RATE, "16000");
        assertThat(records.get(1).headers()).containsEntry(VoxHeaders.SEQ, "1");
        assertThat(uplink.arrivalMicros(1)).isEqualTo(T0 + 20_000);
        assertThat(uplink.arrivalMicros(2)).isEqualTo(-1);
    }

    @Test
    void inputAtAnotherRateIsResampledAndFramesArePackedAsManyAsAskedPerRecord() {
        Uplink uplink = new Uplink(ROUTE, transport, 48_000, () -> 3, 3, null);
        for (int i = 0; i < 6; i++) {
            uplink.accept(new byte[1_920], T0 + i * 20_000L, false); // 20 ms at 48 kHz
        }

        List<RecordingTransport.Published> records = transport.on(Topics.AUDIO_IN);
        assertThat(records).hasSizeGreaterThanOrEqualTo(1);
        RecordingTransport.Published first = records.get(0);
        assertThat(first.pcm()).hasSize(3 * 640);
        assertThat(first.headers()).containsEntry(VoxHeaders.SEQ, "0")
                .containsEntry(VoxHeaders.AGENT_SPEAKING, "false");
        assertThat(first.headers().get(VoxHeaders.ARRIVAL_US).split(",")).hasSize(3);
    }
}
