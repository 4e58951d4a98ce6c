package dev.voxline.loadtest.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressLineTests {

    @Test
    void aRunningLoadTestLine() {
        String line = ProgressLine.format(new ProgressLine.State(27_400, 60_000, 20, 20, 143, 512.4, 889.6, 0, 1, 0,
                null));

        assertThat(line).isEqualTo("[#########...........] 00:27/01:00 sessions 20/20 turns 143 e2e p50 512 "
                + "p99 890 ms underruns 0 errors 1");
    }

    @Test
    void beforeAnyTurnThePercentilesAreDashesAndDropsShowOnlyWhenThereAreSome() {
        String line = ProgressLine.format(new ProgressLine.State(0, 60_000, 0, 20, 0, Double.NaN, Double.NaN, 0, 0,
                2, "step 1/9"));

        assertThat(line).startsWith("[....................] 00:00/01:00 step 1/9 sessions 0/20")
                .contains("e2e p50 – p99 – ms").endsWith("dropped 2");
    }

    @Test
    void theBarIsFullAtTheEndAndDoesNotOverflow() {
        String line = ProgressLine.format(new ProgressLine.State(75_000, 60_000, 3, 3, 9, 1, 2, 0, 0, 0, ""));

        assertThat(line).startsWith("[####################] 01:15/01:00 sessions");
    }

    @Test
    void clockShowsHoursOnlyWhenNeeded() {
        assertThat(ProgressLine.clock(59_999)).isEqualTo("00:59");
        assertThat(ProgressLine.clock(3_725_000)).isEqualTo("1:02:05");
    }
}
