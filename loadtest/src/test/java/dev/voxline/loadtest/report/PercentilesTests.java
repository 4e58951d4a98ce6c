package dev.voxline.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class PercentilesTests {

    @Test
    void twentyValuesInterpolateBetweenRanks() {
        List<Double> values = new ArrayList<>();
        for (int i = 20; i >= 1; i--) {
            values.add((double) i); // unsorted on purpose
        }

        Percentiles.Summary s = Percentiles.summarize(values);

        assertThat(s.count()).isEqualTo(20);
        assertThat(s.p50()).isCloseTo(10.5, within(1e-9));
        assertThat(s.p95()).isCloseTo(19.05, within(1e-9)); // position 19 · 0.95 = 18.05
        assertThat(s.p99()).isCloseTo(19.81, within(1e-9)); // position 19 · 0.99 = 18.81
        assertThat(s.mean()).isCloseTo(10.5, within(1e-9));
        assertThat(s.min()).isEqualTo(1.0);
        assertThat(s.max()).isEqualTo(20.0);
    }

    @Test
    void matchesNumpyDefaultOnAnUnevenSample() {
        // numpy.percentile([120, 95, 300, 101, 99], [50, 95]) == [101.0, 264.0]  (position 4 · 0.95 = 3.8: 120 + 0.8 · 180)
        Percentiles.Summary s = Percentiles.summarize(Arrays.asList(120.0, 95.0, 300.0, 101.0, 99.0));

        assertThat(s.p50()).isCloseTo(101.0, within(1e-9));
        assertThat(s.p95()).isCloseTo(264.0, within(1e-9));
    }

    @Test
    void oneValueIsEveryPercentile() {
        Percentiles.Summary s = Percentiles.summarize(List.of(42.0));

        assertThat(s.p50()).isEqualTo(42.0);
        assertThat(s.p95()).isEqualTo(42.0);
        assertThat(s.p99()).isEqualTo(42.0);
    }

    @Test
    void nullsAreLeftOutAndAnEmptySampleHasNoStatistics() {
        assertThat(Percentiles.summarize(Arrays.asList(1.0, null, 3.0)).count()).isEqualTo(2);
        Percentiles.Summary empty = Percentiles.summarize(Collections.emptyList());
        assertThat(empty.count()).isZero();
        assertThat(empty.p50()).isNaN();
        assertThat(empty.p99()).isNaN();
        assertThat(empty.mean()).isNaN();
    }

    @Test
    void percentileBoundsAreChecked() {
        double[] sorted = {1, 2, 3};
        assertThat(Percentiles.percentile(sorted, 0)).isEqualTo(1.0);
        assertThat(Percentiles.percentile(sorted, 1)).isEqualTo(3.0);
        assertThatThrownBy(() -> Percentiles.percentile(sorted, 1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Percentiles.percentile(new double[0], 0.5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
