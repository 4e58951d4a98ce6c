package dev.voxline.loadtest.overhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OverheadTableTests {

    /** 1, 2, …, 101 ms scaled: p50 = 51·k, p99 = 100·k. */
    private static List<Double> ramp(double k) {
        return IntStream.rangeClosed(1, 101).mapToObj(i -> i * k).toList();
    }

    /** n values around {@code centre} ± 10 % (seeded). */
    private static List<Double> noisy(int n, double centre, long seed) {
        Random random = new Random(seed);
        return IntStream.range(0, n).mapToObj(i -> centre * (0.9 + 0.2 * random.nextDouble())).toList();
    }

    @Test
    void theRatioIsTransportOverFloorAtEachPercentile() {
        OverheadTable table = new OverheadTable(ramp(0.03), ramp(0.025), ramp(5), ramp(4));
        assertThat(table.ratio(0.50).estimate()).isCloseTo(1.2, within(1e-9));
        assertThat(table.ratio(0.99).estimate()).isCloseTo(1.2, within(1e-9));
        assertThat(table.ratio(0.50).contains(1.2)).isTrue();
    }

    @Test
    void aTargetIsMetOnlyWhenTheWholeIntervalIsBelowIt() {
        OverheadTable clear = new OverheadTable(noisy(400, 1.0, 1), noisy(400, 1.0, 2), noisy(400, 102, 7),
                noisy(400, 100, 8));
        assertThat(clear.ratioVerdict()).isEqualTo(OverheadTable.Verdict.MET);
        assertThat(clear.differenceVerdict()).as("≈ 2 ms apart at p50 and p99").isEqualTo(OverheadTable.Verdict.MET);

        OverheadTable missed = new OverheadTable(noisy(400, 20, 3), noisy(400, 10, 4), ramp(5), ramp(4));
        assertThat(missed.ratioVerdict()).isEqualTo(OverheadTable.Verdict.NOT_MET);
        assertThat(missed.differenceVerdict()).as("51 ms apart at p50").isEqualTo(OverheadTable.Verdict.NOT_MET);
        assertThat(missed.render()).contains("transport ÷ floor").contains("NOT met");

        // ratio ≈ 1.2 with few, noisy samples: the interval spans the target
        OverheadTable edge = new OverheadTable(noisy(20, 12, 5), noisy(20, 10, 6), ramp(5), ramp(4));
        assertThat(edge.ratioVerdict()).isEqualTo(OverheadTable.Verdict.UNDECIDED);
        assertThat(edge.render()).contains("undecided");
    }

    @Test
    void theE2eDifferenceRowIsDistributedMinusInProcessWithItsInterval() {
        OverheadTable table = new OverheadTable(ramp(0.03), ramp(0.025), ramp(5), ramp(4));
        List<String> difference = table.rows().get(5);
        assertThat(difference.get(0)).isEqualTo("E2E distributed − in-process");
        assertThat(difference.get(2)).startsWith("51.00 ["); // 255 − 204
        assertThat(difference.get(4)).startsWith("100.00 ["); // 500 − 400
        assertThat(table.asReportTable().rows()).hasSize(6);
    }

    @Test
    void missingSamplesShowADash() {
        OverheadTable table = new OverheadTable(List.of(), ramp(1), List.of(), List.of());
        assertThat(table.rows().get(0)).containsExactly("transport (pipeline, 5 hops)", "0", "–", "–", "–");
        assertThat(table.ratioVerdict()).isEqualTo(OverheadTable.Verdict.NOT_MET);
        assertThat(table.differenceVerdict()).isNull();
        assertThat(table.render()).contains("in-process ≤ 5 ms at p50, ≤ 15 ms at p99: not measured");
    }
}
