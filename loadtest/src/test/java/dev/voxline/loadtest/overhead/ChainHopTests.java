package dev.voxline.loadtest.overhead;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.contracts.event.VoiceEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainHopTests {

    private final List<ChainHop> hops = ChainHop.forSession("sess_0123456789abcdef", 2);

    @Test
    void theFiveCriticalPathHopsInOrder() {
        assertThat(hops).extracting(ChainHop::topic).containsExactly("voice.audio.in", "voice.speech",
                "voice.transcripts", "voice.replies", "voice.downlink");
    }

    @Test
    void audioHopsCarryAFrameAndATtsChunkJsonHopsTheRealEvents() {
        assertThat(hops.get(0).size()).isEqualTo(640);
        assertThat(hops.get(4).size()).isEqualTo(3200);
        assertThat(JsonCodec.get().decodeEvent(hops.get(1).value())).isInstanceOf(VoiceEvent.SpeechEnded.class);
        VoiceEvent transcript = JsonCodec.get().decodeEvent(hops.get(2).value());
        assertThat(((VoiceEvent.TranscriptFinal) transcript).text()).isEqualTo(ChainHop.TRANSCRIPT);
        assertThat(JsonCodec.get().decodeEvent(hops.get(3).value())).isInstanceOf(VoiceEvent.ReplyClause.class);
        assertThat(hops.subList(1, 4)).allSatisfy(hop -> assertThat(hop.size()).isBetween(120, 500));
    }

    @Test
    void headersAreTheTransportsWithoutTheSendTime() {
        assertThat(hops).allSatisfy(hop -> assertThat(hop.headers()).containsEntry(VoxHeaders.DOWNLINK, "2")
                .containsKey(VoxHeaders.TYPE).doesNotContainKey(VoxHeaders.SENT_US));
        assertThat(hops.get(0).headers()).containsKeys(VoxHeaders.SEQ, VoxHeaders.ARRIVAL_US,
                VoxHeaders.AGENT_SPEAKING, VoxHeaders.SAMPLE_RATE);
        assertThat(hops.get(2).headers()).containsEntry(VoxHeaders.TYPE, "transcript.final");
    }
}
