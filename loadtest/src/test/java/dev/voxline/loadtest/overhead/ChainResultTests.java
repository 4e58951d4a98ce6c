package dev.voxline.loadtest.overhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainResultTests {

    private static final List<String> HOPS = List.of("a", "b", "c");

    @Test
    void aProbesTotalIsTheSumOfItsHops() {
        ChainResult result = new ChainResult(HOPS, List.of(new double[] {0.2, 0.3, 0.5},
                new double[] {1.0, 2.0, 3.0}), 0, 10, List.of(640, 200, 3200));
        assertThat(result.totals()).containsExactly(1.0, 6.0);
        assertThat(result.hop(1)).containsExactly(0.3, 2.0);
    }

    @Test
    void percentilesInterpolateBetweenRanks() {
        List<double[]> probes = new ArrayList<>();
        for (int i = 1; i <= 101; i++) {
            probes.add(new double[] {i, 0, 0});
        }
        ChainResult result = new ChainResult(HOPS, probes, 0, 0, List.of(1, 1, 1));
        assertThat(ChainResult.percentile(result.totals(), 0.50)).isEqualTo(51.0);
        assertThat(ChainResult.percentile(result.totals(), 0.99)).isCloseTo(100.0, within(1e-9));
        assertThat(ChainResult.percentile(List.of(), 0.5)).isNaN();
    }

    @Test
    void aProbeWithTheWrongNumberOfHopsIsRefused() {
        assertThatThrownBy(() -> new ChainResult(HOPS, List.of(new double[] {1.0}), 0, 0, List.of(1, 1, 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
