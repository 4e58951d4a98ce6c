package dev.voxline.contracts.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FrameArrivalsTests {

    @Test
    void remembersRecentFramesAndForgetsOverwrittenOnes() {
        FrameArrivals arrivals = new FrameArrivals(4);
        for (long seq = 0; seq < 6; seq++) {
            arrivals.record(seq, 1_000 + seq);
        }
        assertThat(arrivals.arrivalMicros(5)).isEqualTo(1_005);
        assertThat(arrivals.arrivalMicros(2)).isEqualTo(1_002);
        assertThat(arrivals.arrivalMicros(1)).isEqualTo(FrameArrivals.UNKNOWN); // overwritten by seq 5
        assertThat(arrivals.arrivalMicros(6)).isEqualTo(FrameArrivals.UNKNOWN); // not yet arrived
        assertThat(arrivals.arrivalMicros(-1)).isEqualTo(FrameArrivals.UNKNOWN);
    }

    @Test
    void keepsEachFramesHopAndPollWhereTheStageKnowsThem() {
        FrameArrivals arrivals = new FrameArrivals(8);
        arrivals.record(3, 1_000);
        assertThat(arrivals.hopMicros(3)).isEqualTo(FrameArrivals.UNKNOWN);
        arrivals.record(4, 1_020, 700, 1_900);
        arrivals.record(5, 1_040);
        assertThat(arrivals.arrivalMicros(4)).isEqualTo(1_020);
        assertThat(arrivals.hopMicros(4)).isEqualTo(700);
        assertThat(arrivals.polledMicros(4)).isEqualTo(1_900);
        assertThat(arrivals.hopMicros(5)).isEqualTo(FrameArrivals.UNKNOWN);
        assertThat(arrivals.polledMicros(3)).isEqualTo(FrameArrivals.UNKNOWN);
        arrivals.record(12, 2_000, 800, 2_900); // takes seq 4's slot
        assertThat(arrivals.hopMicros(4)).isEqualTo(FrameArrivals.UNKNOWN);
        assertThat(arrivals.polledMicros(12)).isEqualTo(2_900);
    }

    @Test
    void aFrameWithoutSeqIsNotKeptAndDoesNotDisplaceAnother() {
        FrameArrivals arrivals = new FrameArrivals(4);
        arrivals.record(3, 1_000);
        arrivals.record(-1, 5_000);
        assertThat(arrivals.arrivalMicros(3)).isEqualTo(1_000);
        assertThat(arrivals.arrivalMicros(-1)).isEqualTo(FrameArrivals.UNKNOWN);
        assertThatThrownBy(() -> new FrameArrivals(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
