package dev.voxline.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.voxline.loadtest.client.TurnResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClockBenchReportTests {

    @Test
    void remainderIsE2eMinusLiveKitsDecomposition() {
        TurnResult turn = LatencyLineTests.turn(900.0,
                LatencyLineTests.metrics(880.0, 430.0, 125.0, 301.0, 52.0, 101.0, 6.0, false, null));

        assertThat(ClockBenchReport.decompositionRemainder(turn)).isCloseTo(880 - (430 + 301 + 52 + 101), within(1e-9));
        assertThat(ClockBenchReport.decompositionRemainder(LatencyLineTests.turn(900.0,
                LatencyLineTests.metrics(880.0, 430.0, 125.0, 301.0, null, 101.0, 6.0, false, null)))).isNull();
    }

    @Test
    void tableHasARowPerFigureWithCountsAndPercentiles() {
        List<TurnResult> turns = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            turns.add(LatencyLineTests.turn(500.0 + i,
                    LatencyLineTests.metrics(480.0 + i, 330.0, 120.0, 0.0, 1.0, 0.0, 5.0, false, null)));
        }
        turns.add(LatencyLineTests.turn(700.0, null)); // no report: counts only for the client's E2E

        String table = ClockBenchReport.table(turns);

        assertThat(table.lines()).hasSize(1 + ClockBenchReport.ROWS.size());
        assertThat(table).containsPattern("(?m)^e2e\\s+20\\s+490\\.5\\s+499\\.1\\s+490\\.5\\s+481\\.0\\s+500\\.0$");
        assertThat(table).containsPattern("(?m)^e2e - eou_delay\\s+20\\s+160\\.5\\s+");
        assertThat(table).containsPattern("(?m)^client e2e\\s+21\\s+511\\.0\\s+");
        assertThat(table).containsPattern("(?m)^client e2e - e2e\\s+20\\s+20\\.0\\s+20\\.0\\s+");
        assertThat(table).containsPattern("(?m)^e2e - \\(eou\\+ttft\\+clause\\+ttfb\\)\\s+20\\s+159\\.5\\s+");
    }
}
