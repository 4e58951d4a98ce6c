package dev.voxline.metrics.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.event.VoiceEvent;
import org.junit.jupiter.api.Test;

class RecentTurnReportsTests {

    private final RecentTurnReports recent = new RecentTurnReports(3);

    @Test
    void newestFirstFilteredBySessionAndLimited() {
        recent.add(report("s-1", "t-1"));
        recent.add(report("s-2", "t-2"));
        recent.add(report("s-1", "t-3"));

        assertThat(recent.latest(null, 10)).extracting(VoiceEvent.TurnMetrics::turnId)
                .containsExactly("t-3", "t-2", "t-1");
        assertThat(recent.latest("s-1", 10)).extracting(VoiceEvent.TurnMetrics::turnId)
                .containsExactly("t-3", "t-1");
        assertThat(recent.latest("s-1", 1)).extracting(VoiceEvent.TurnMetrics::turnId).containsExactly("t-3");
        assertThat(recent.latest("s-9", 10)).isEmpty();
    }

    @Test
    void forgetsTheOldestBeyondItsCapacity() {
        for (int i = 1; i <= 5; i++) {
            recent.add(report("s-1", "t-" + i));
        }

        assertThat(recent.latest(null, 10)).extracting(VoiceEvent.TurnMetrics::turnId)
                .containsExactly("t-5", "t-4", "t-3");
    }

    static VoiceEvent.TurnMetrics report(String session, String turn) {
        return new VoiceEvent.TurnMetrics(1, 0, session, turn, 450.0, 130.0, 120.0, 1800.0, 0.0625, 300.0, 40.0,
                900.0, 52, 30, 50.0, 100.0, 700.0, 2400.0, 120, 6.0, 905.0, false, false, null, null, null, null);
    }
}
