package dev.voxline.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BootstrapTests {

    private static List<Double> exponential(int n, double meanMs, long seed) {
        Random random = new Random(seed);
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            values.add(-meanMs * Math.log(1 - random.nextDouble()));
        }
        return values;
    }

    @Test
    void theEstimateIsTheSamplesOwnPercentileAndTheIntervalHoldsIt() {
        List<Double> sample = exponential(200, 10, 1);

        Bootstrap.Interval p95 = Bootstrap.standard().percentile(sample, 0.95);

        assertThat(p95.estimate()).isEqualTo(Percentiles.summarize(sample).p95());
        assertThat(p95.low()).isLessThan(p95.estimate());
        assertThat(p95.high()).isGreaterThan(p95.estimate());
        assertThat(p95.contains(p95.estimate())).isTrue();
    }

    @Test
    void theSameSeedGivesTheSameIntervalWhateverWasComputedBefore() {
        List<Double> sample = exponential(100, 10, 2);
        Bootstrap first = new Bootstrap(500, 42, 0.95);
        Bootstrap.Interval before = first.percentile(sample, 0.99);
        first.percentile(exponential(50, 3, 3), 0.5);

        assertThat(first.percentile(sample, 0.99)).isEqualTo(before);
        assertThat(new Bootstrap(500, 43, 0.95).percentile(sample, 0.99)).isNotEqualTo(before);
    }

    @Test
    void moreDataGivesANarrowerInterval() {
        Bootstrap bootstrap = Bootstrap.standard();
        Bootstrap.Interval few = bootstrap.percentile(exponential(30, 10, 4), 0.5);
        Bootstrap.Interval many = bootstrap.percentile(exponential(3000, 10, 4), 0.5);

        assertThat(many.high() - many.low()).isLessThan((few.high() - few.low()) / 3);
        assertThat(many.contains(10 * Math.log(2))).isTrue();
    }

    @Test
    void aConstantSampleHasNoSpread() {
        Bootstrap.Interval p99 = Bootstrap.standard().percentile(List.of(5.0, 5.0, 5.0, 5.0), 0.99);

        assertThat(p99).isEqualTo(new Bootstrap.Interval(5.0, 5.0, 5.0));
        assertThat(p99.format(1)).isEqualTo("5.0 [5.0, 5.0]");
    }

    @Test
    void ratioAndDifferenceOfTwoSamples() {
        List<Double> a = exponential(300, 20, 5);
        List<Double> b = exponential(300, 10, 6);
        Bootstrap bootstrap = Bootstrap.standard();

        Bootstrap.Interval ratio = bootstrap.ratio(a, b, 0.5);
        Bootstrap.Interval difference = bootstrap.difference(a, b, 0.5);

        double pa = Percentiles.summarize(a).p50();
        double pb = Percentiles.summarize(b).p50();
        assertThat(ratio.estimate()).isCloseTo(pa / pb, within(1e-12));
        assertThat(difference.estimate()).isCloseTo(pa - pb, within(1e-12));
        assertThat(ratio.low()).isGreaterThan(1.0);
        assertThat(difference.low()).isGreaterThan(0.0);
        assertThat(bootstrap.difference(a, a, 0.5).contains(0.0)).isTrue();
    }

    @Test
    void withoutDataEverythingIsNaN() {
        Bootstrap.Interval none = Bootstrap.standard().ratio(List.of(), List.of(1.0), 0.5);

        assertThat(none.estimate()).isNaN();
        assertThat(none.format(2)).isEqualTo("–");
        assertThat(Bootstrap.standard().percentile(java.util.Arrays.asList(null, 3.0), 0.5).estimate())
                .isEqualTo(3.0);
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new Bootstrap(0, 1, 0.95)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Bootstrap(10, 1, 1.0)).isInstanceOf(IllegalArgumentException.class);
    }
}
