package dev.voxline.loadtest.overhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChainProbeServerTests {

    @Test
    void aProbesHopDelaysSurviveTheWayBackToTheBenchmark() {
        String answer = ChainProbeServer.answer(new double[] {2.5, 1.25, 3.0, 0.125, 10.0});

        assertThat(answer).isEqualTo("probe 2.500 1.250 3.000 0.125 10.000");
        assertThat(ChainProbeServer.parse(answer)).containsExactly(2.5, 1.25, 3.0, 0.125, 10.0);
    }

    @Test
    void aLostProbeIsSaidAsSuch() {
        assertThat(ChainProbeServer.answer(null)).isEqualTo("lost");
        assertThat(ChainProbeServer.parse("lost")).isNull();
        assertThatThrownBy(() -> ChainProbeServer.parse("ready 640,179")).isInstanceOf(IllegalArgumentException.class);
    }
}
