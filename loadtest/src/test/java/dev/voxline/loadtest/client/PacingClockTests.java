package dev.voxline.loadtest.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PacingClockTests {

    private static final long MS = 1_000_000L;
    private static final Duration FRAME = Duration.ofMillis(20);

    @Test
    void frameKIsDueAtStartPlusKPeriods() {
        FakeTime time = new FakeTime(0);
        PacingClock clock = new PacingClock(time, FRAME, 1.0).start();
        long start = time.nanoTime();

        assertThat(clock.deadlineNanos(0)).isEqualTo(start);
        assertThat(clock.deadlineNanos(1)).isEqualTo(start + 20 * MS);
        assertThat(clock.deadlineNanos(50_000)).isEqualTo(start + 50_000 * 20 * MS);
    }

    @Test
    void aLateWakeUpDelaysOneFrameAndTheNextCatchesUp() {
        FakeTime time = new FakeTime(0);
        PacingClock clock = new PacingClock(time, FRAME, 1.0).start();

        time.advance(20 * MS + 15 * MS); // frame 1 sent 15 ms late
        assertThat(clock.delayNanos(1)).isZero();
        // frame 2 is still due at start + 40 ms: 5 ms from now, not 20
        assertThat(clock.delayNanos(2)).isEqualTo(5 * MS);

        time.advance(40 * MS); // far behind: frames 2-3 are due at once
        assertThat(clock.delayNanos(2)).isZero();
        assertThat(clock.delayNanos(3)).isZero();
        assertThat(clock.delayNanos(4)).isEqualTo(5 * MS);
    }

    @Test
    void aSimulatedStreamWithLateWakeUpsDoesNotDrift() {
        // every wait overshoots by up to 3 ms and every send costs 0.7 ms: a loop that slept one period after each
        // send would be 1000 · (1.5 + 0.7) ms ≈ 2.2 s late after 1000 frames; the pacing clock stays within one overshoot
        FakeTime time = new FakeTime(0);
        PacingClock clock = new PacingClock(time, FRAME, 1.0).start();
        java.util.Random random = new java.util.Random(7);
        long worstLateness = 0;
        for (int k = 0; k < 1000; k++) {
            time.advance(clock.delayNanos(k) + (long) (random.nextDouble() * 3 * MS));
            long lateness = time.nanoTime() - clock.deadlineNanos(k);
            worstLateness = Math.max(worstLateness, lateness);
            time.advance(700_000); // the send
        }

        assertThat(worstLateness).isBetween(0L, 3 * MS + 700_000);
        assertThat(time.nanoTime() - clock.startNanos()).isBetween(999 * 20 * MS, 999 * 20 * MS + 4 * MS);
    }

    @Test
    void speedDividesThePeriodWithoutAccumulatingRounding() {
        FakeTime time = new FakeTime(0);
        PacingClock clock = new PacingClock(time, FRAME, 3.0).start();
        long start = time.nanoTime();

        // a period of 20 ms / 3 = 6 666 666.67 ns is not whole: deadlines are rounded once, not summed
        assertThat(clock.deadlineNanos(3_000_000) - start).isEqualTo(20_000_000_000_000L);
        assertThat(clock.deadlineNanos(1) - start).isEqualTo(6_666_667L);
    }

    @Test
    void rejectsANonPositiveSpeedAndAnUnstartedClock() {
        FakeTime time = new FakeTime(0);
        assertThatThrownBy(() -> new PacingClock(time, FRAME, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PacingClock(time, FRAME, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PacingClock(time, FRAME, 1).deadlineNanos(1))
                .isInstanceOf(IllegalStateException.class);
    }
}
