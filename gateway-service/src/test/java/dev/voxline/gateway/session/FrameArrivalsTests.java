package dev.voxline.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(arrivals.arrivalMicros(1)).isEqualTo(-1); // overwritten by seq 5
        assertThat(arrivals.arrivalMicros(6)).isEqualTo(-1); // not yet arrived
        assertThat(arrivals.arrivalMicros(-1)).isEqualTo(-1);
    }
}
