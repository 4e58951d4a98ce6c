package dev.voxline.gateway.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.audio.Pcm;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputFramerTests {

    private final List<Long> seqs = new ArrayList<>();
    private final List<byte[]> frames = new ArrayList<>();

    private void collect(InputFramer framer, byte[] pcm) {
        framer.accept(pcm, (seq, frame) -> {
            seqs.add(seq);
            frames.add(frame);
        });
    }

    @Test
    void oddSizedClientFramesBecome20MsFramesNumberedFromZero() {
        InputFramer framer = new InputFramer(16_000);
        collect(framer, new byte[1_000]);
        collect(framer, new byte[1_000]);
        collect(framer, new byte[600]);

        assertThat(seqs).containsExactly(0L, 1L, 2L, 3L);
        assertThat(frames).allSatisfy(frame -> assertThat(frame).hasSize(640));
        assertThat(framer.frames()).isEqualTo(4);
    }

    @Test
    void audioAt48kHzIsResampledTo16kHz() {
        InputFramer framer = new InputFramer(48_000);
        short[] tone = new short[48_000 / 5]; // 200 ms of 440 Hz
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (short) (10_000 * Math.sin(2 * Math.PI * 440 * i / 48_000.0));
        }
        collect(framer, Pcm.toBytes(tone));

        assertThat(frames).hasSize(10);
        short[] first = Pcm.toSamples(frames.get(0));
        for (int i = 0; i < first.length; i++) {
            double expected = 10_000 * Math.sin(2 * Math.PI * 440 * i / 16_000.0);
            assertThat((double) first[i]).isCloseTo(expected, org.assertj.core.data.Offset.offset(2.0));
        }
    }
}
