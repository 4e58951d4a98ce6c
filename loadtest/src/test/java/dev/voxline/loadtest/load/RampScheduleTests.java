package dev.voxline.loadtest.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RampScheduleTests {

    @Test
    void sessionsStartEvenlyOverTheRampTheFirstAtOnce() {
        long[] offsets = RampSchedule.offsetsNanos(4, Duration.ofSeconds(10));

        assertThat(offsets).containsExactly(0L, 2_500_000_000L, 5_000_000_000L, 7_500_000_000L);
    }

    @Test
    void aZeroRampStartsAllTogether() {
        assertThat(RampSchedule.offsetsNanos(3, Duration.ZERO)).containsExactly(0L, 0L, 0L);
        assertThat(RampSchedule.offsetsNanos(0, Duration.ofSeconds(5))).isEmpty();
    }

    @Test
    void oneSessionStartsAtOnce() {
        assertThat(RampSchedule.offsetsNanos(1, Duration.ofSeconds(10))).containsExactly(0L);
    }

    @Test
    void capacityStepsAddOnTopOfThePreviousStep() {
        assertThat(RampSchedule.additions(List.of(10, 25, 50, 100))).containsExactly(10, 15, 25, 50);
        assertThatThrownBy(() -> RampSchedule.additions(List.of(10, 10))).isInstanceOf(
                IllegalArgumentException.class);
        assertThatThrownBy(() -> RampSchedule.offsetsNanos(2, Duration.ofSeconds(-1))).isInstanceOf(
                IllegalArgumentException.class);
    }
}
