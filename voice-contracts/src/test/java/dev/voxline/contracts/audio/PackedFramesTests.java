package dev.voxline.contracts.audio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PackedFramesTests {

    @Test
    void arrivalsRoundTripThroughTheHeader() {
        long[] arrivals = {1_700_000_000_000_000L, 1_700_000_000_020_000L, 1_700_000_000_040_000L};
        String header = PackedFrames.arrivalsHeader(arrivals);

        assertThat(header).isEqualTo("1700000000000000,1700000000020000,1700000000040000");
        assertThat(PackedFrames.arrivals(header, 3)).containsExactly(arrivals);
    }

    @Test
    void aSingleValueIsTheArrivalOfAnUnpackedFrame() {
        assertThat(PackedFrames.arrivals("42", 1)).containsExactly(42);
    }

    @Test
    void missingOrBrokenArrivalsAreUnknownAndTheOthersStillRead() {
        assertThat(PackedFrames.arrivals(null, 2)).containsExactly(-1, -1);
        assertThat(PackedFrames.arrivals("5,x,7", 3)).containsExactly(5, -1, 7);
        assertThat(PackedFrames.arrivals("5", 3)).containsExactly(5, -1, -1);
    }

    @Test
    void aRecordSplitsIntoWholeFrames() {
        byte[] pcm = new byte[PackedFrames.FRAME_BYTES * 2 + 1];
        pcm[PackedFrames.FRAME_BYTES] = 9;

        assertThat(PackedFrames.frameCount(pcm)).isEqualTo(2);
        assertThat(PackedFrames.frame(pcm, 1)).hasSize(PackedFrames.FRAME_BYTES).startsWith(9);
    }
}
