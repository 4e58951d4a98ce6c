package dev.voxline.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.audio.Pcm;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PcmTests {

    @Test
    void rechunkerCutsArbitraryChunksIntoWholeFrames() {
        Pcm.Rechunker rechunker = new Pcm.Rechunker(640);
        List<byte[]> frames = new ArrayList<>();
        byte[] all = new byte[3_000];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        rechunker.accept(java.util.Arrays.copyOfRange(all, 0, 100), frames::add);
        rechunker.accept(java.util.Arrays.copyOfRange(all, 100, 1_500), frames::add);
        rechunker.accept(java.util.Arrays.copyOfRange(all, 1_500, 3_000), frames::add);
        assertThat(frames).hasSize(4).allSatisfy(f -> assertThat(f).hasSize(640));
        assertThat(frames.get(1)[0]).isEqualTo(all[640]);
        assertThat(rechunker.pendingBytes()).isEqualTo(3_000 - 4 * 640);
    }

    @Test
    void rechunkerFlushesTheRemainderAsAShortFrameAndClearDropsIt() {
        Pcm.Rechunker rechunker = new Pcm.Rechunker(4);
        List<byte[]> frames = new ArrayList<>();
        rechunker.accept(new byte[] {1, 2, 3, 4, 5, 6}, frames::add);
        rechunker.flush(frames::add);
        rechunker.flush(frames::add); // nothing left: no empty frame
        assertThat(frames).containsExactly(new byte[] {1, 2, 3, 4}, new byte[] {5, 6});

        frames.clear();
        rechunker.accept(new byte[] {7, 8}, frames::add);
        rechunker.clear();
        rechunker.accept(new byte[] {9, 10, 11, 12}, frames::add);
        assertThat(frames).containsExactly(new byte[] {9, 10, 11, 12});
        assertThat(rechunker.pendingBytes()).isZero();
    }

    @Test
    void samplesRoundTrip() {
        short[] samples = {0, 1, -1, Short.MAX_VALUE, Short.MIN_VALUE, 1234};
        assertThat(Pcm.toSamples(Pcm.toBytes(samples))).containsExactly(samples);
    }

    @Test
    void resamplerKeepsDurationAcrossChunks() {
        Pcm.Resampler resampler = new Pcm.Resampler(48_000, 16_000);
        int out = 0;
        for (int chunk = 0; chunk < 50; chunk++) {
            out += resampler.process(sine(48_000, 480, chunk * 480)).length / 2; // 10 ms chunks
        }
        assertThat(out).isBetween(7_990, 8_010); // 0.5 s at 16 kHz
    }

    @Test
    void resamplerPreservesAToneLevel() {
        Pcm.Resampler resampler = new Pcm.Resampler(8_000, 16_000);
        byte[] in = sine(8_000, 8_000, 0);
        assertThat(Pcm.rmsDbfs(resampler.process(in))).isCloseTo(Pcm.rmsDbfs(in), org.assertj.core.data.Offset.offset(0.5));
    }

    @Test
    void levels() {
        assertThat(Pcm.rmsDbfs(new byte[640])).isEqualTo(-120);
        assertThat(Pcm.rmsDbfs(sine(16_000, 1_600, 0))).isBetween(-10.0, -8.0); // 0.5 amplitude sine ≈ -9 dBFS
        assertThat(Pcm.durationMs(32_000, 16_000)).isEqualTo(1_000);
        assertThat(Pcm.frameBytes(16_000, 20)).isEqualTo(640);
    }

    static byte[] sine(int rate, int samples, int offset) {
        short[] out = new short[samples];
        for (int i = 0; i < samples; i++) {
            out[i] = (short) (0.5 * 32767 * Math.sin(2 * Math.PI * 440 * (i + offset) / rate));
        }
        return Pcm.toBytes(out);
    }
}
