package dev.voxline.metrics.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voxline.contracts.event.VoiceEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RollingWindowsTests {

    private final AtomicLong nowMs = new AtomicLong(1_000_000);
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(nowMs.get());
        }
    };
    private final RollingWindows windows = new RollingWindows(clock, 1_000, 20, 2);

    @Test
    void theLastTurnsWindowHoldsTheNewestNWithPercentiles() {
        for (int i = 1; i <= 20; i++) {
            windows.add(turn("sess_a", "turn_" + i, 100.0 * i, i % 2 == 0 ? null : 10.0));
            nowMs.addAndGet(1_000);
        }
        RollingWindows.Summary summary = windows.overall(10, 60);
        assertThat(summary.turns()).isEqualTo(20);
        RollingWindows.Stats e2e = summary.lastTurns().figures().get("e2e");
        // the newest ten: 1100 … 2000 ms
        assertThat(e2e.count()).isEqualTo(10);
        assertThat(e2e.min()).isEqualTo(1_100);
        assertThat(e2e.max()).isEqualTo(2_000);
        assertThat(e2e.avg()).isEqualTo(1_550);
        assertThat(e2e.p50()).isEqualTo(1_550);
        assertThat(e2e.p95()).isEqualTo(1_955); // 1 100 + 0.95 × 9 × 100
        assertThat(e2e.p99()).isCloseTo(1_991, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(summary.lastTurns().figures().get("llm_ttft").count()).as("absent values left out").isEqualTo(5);
        assertThat(summary.lastTurns().figures()).doesNotContainKey("tts_ttfb");
    }

    @Test
    void theLastSecondsWindowHoldsWhatWasReportedInThatTime() {
        windows.add(turn("sess_a", "turn_1", 300.0, null));
        nowMs.addAndGet(50_000);
        windows.add(turn("sess_a", "turn_2", 500.0, null));
        nowMs.addAndGet(20_000); // turn_1 is 70 s old now, turn_2 20 s
        RollingWindows.Window lastMinute = windows.overall(10, 60).lastSeconds();
        assertThat(lastMinute.seconds()).isEqualTo(60);
        assertThat(lastMinute.count()).isEqualTo(1);
        assertThat(lastMinute.figures().get("e2e").max()).isEqualTo(500);
        assertThat(windows.overall(10, 60).lastTurns().count()).isEqualTo(2);
    }

    @Test
    void eachSessionHasItsOwnWindowsAndTheLeastRecentIsForgotten() {
        windows.add(turn("sess_a", "turn_1", 100.0, null));
        windows.add(turn("sess_b", "turn_2", 900.0, null));
        assertThat(windows.session("sess_a", 10, 60)).get().satisfies(s ->
                assertThat(s.lastTurns().figures().get("e2e").max()).isEqualTo(100));
        assertThat(windows.session("sess_b", 10, 60).orElseThrow().lastTurns().figures().get("e2e").min())
                .isEqualTo(900);
        windows.add(turn("sess_c", "turn_3", 500.0, null)); // at most two sessions: sess_a goes
        assertThat(windows.session("sess_a", 10, 60)).isEmpty();
        assertThat(windows.session("sess_c", 10, 60)).isPresent();
        assertThat(windows.overall(10, 60).lastTurns().count()).as("the overall window keeps every turn")
                .isEqualTo(3);
    }

    @Test
    void boundsMustBePositive() {
        assertThatThrownBy(() -> new RollingWindows(clock, 0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRulesWindowIsTheTurnsWithinBothBoundsEverySessionTogether() {
        windows.add(turn("sess_a", "turn_1", 4_000.0, null)); // old: outside the 60 s bound below
        nowMs.addAndGet(61_000);
        windows.add(turn("sess_b", "turn_2", 100.0, 50.0));
        windows.add(turn("sess_a", "turn_3", 300.0, null));
        windows.add(turn("sess_b", "turn_4", 200.0, null));

        RollingWindows.FigureWindow lastTwo = windows.figure("e2e", 2, 60_000).orElseThrow();
        assertThat(lastTwo.stats().count()).isEqualTo(2);
        assertThat(lastTwo.stats().max()).isEqualTo(300);
        assertThat(lastTwo.newest()).as("turn_4's").isEqualTo(200);

        RollingWindows.FigureWindow inTime = windows.figure("e2e", 10, 60_000).orElseThrow();
        assertThat(inTime.stats().count()).as("turn_1 is too old").isEqualTo(3);
        assertThat(inTime.stats().p50()).isEqualTo(200);
        assertThat(windows.figure("e2e", 10, 0).orElseThrow().stats().max()).as("no time bound").isEqualTo(4_000);
        assertThat(windows.figure("e2e", 0, 0).orElseThrow().stats().count()).as("no bound at all").isEqualTo(4);

        assertThat(windows.figure("llm_ttft", 2, 60_000)).as("the last two turns have no llm_ttft").isEmpty();
        assertThat(windows.figure("llm_ttft", 3, 60_000).orElseThrow().newest()).isEqualTo(50);
        nowMs.addAndGet(61_000);
        assertThat(windows.figure("e2e", 10, 60_000)).as("slid out of the time bound").isEmpty();
        assertThatThrownBy(() -> windows.figure("latency", 10, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static VoiceEvent.TurnMetrics turn(String sessionId, String turnId, Double e2e, Double ttft) {
        return new VoiceEvent.TurnMetrics(1, 0, sessionId, turnId, 200.0, 150.0, null, null, null, ttft, null, null,
                null, null, null, null, null, null, null, 3.0, e2e, false, false, null, null, null, null);
    }
}
