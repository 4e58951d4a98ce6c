package dev.voxline.loadtest.overhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OverheadTableTests {

    /** 1, 2, …, 101 ms scaled: p50 = 51·k, p99 = 100·k. */
    private static List<Double> ramp(double k) {
        return IntStream.rangeClosed(1, 101).mapToObj(i -> i * k).toList();
    }

    @Test
    void theRatioIsTransportOverFloorAtEachPercentile() {
        OverheadTable table = new OverheadTable(ramp(0.03), ramp(0.025), ramp(5), ramp(4));
        assertThat(table.ratio(0.50)).isCloseTo(1.2, within(1e-9));
        assertThat(table.ratio(0.99)).isCloseTo(1.2, within(1e-9));
        assertThat(table.ratioMet()).isTrue();
        // transport p50 1.53 ms ≤ 2, p99 3.0 ms ≤ 10
        assertThat(table.transportMet()).isTrue();
    }

    @Test
    void targetsMissedAreSaid() {
        OverheadTable table = new OverheadTable(ramp(0.2), ramp(0.1), ramp(5), ramp(4));
        assertThat(table.ratioMet()).isFalse();
        assertThat(table.transportMet()).isFalse();
        String rendered = table.render();
        assertThat(rendered).contains("transport ÷ floor").contains("NOT met").contains("2.00");
    }

    @Test
    void theE2eDifferenceRowIsDistributedMinusInProcess() {
        OverheadTable table = new OverheadTable(ramp(0.03), ramp(0.025), ramp(5), ramp(4));
        List<String> difference = table.rows().get(5);
        assertThat(difference.get(0)).isEqualTo("E2E distributed − in-process");
        assertThat(difference.get(2)).isEqualTo("51.00"); // 255 − 204
        assertThat(difference.get(4)).isEqualTo("100.00"); // 500 − 400
        assertThat(table.asReportTable().rows()).hasSize(6);
    }

    @Test
    void missingSamplesShowADash() {
        OverheadTable table = new OverheadTable(List.of(), ramp(1), List.of(), List.of());
        assertThat(table.rows().get(0)).containsExactly("transport (pipeline, 5 hops)", "0", "–", "–", "–");
        assertThat(table.ratioMet()).isFalse();
    }
}
