package dev.voxline.loadtest.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CapacityDecisionTests {

    private static CapacityRun.Outcome held(int sessions) {
        return new CapacityRun.Outcome(sessions, true);
    }

    private static CapacityRun.Outcome failed(int sessions) {
        return new CapacityRun.Outcome(sessions, false);
    }

    @Test
    void theDecidingStepsAreTheHighestThatHeldAndTheNextOneUp() {
        assertThat(CapacityRun.deciding(List.of(held(10), held(25), failed(40)))).containsExactly(25, 40);
        assertThat(CapacityRun.deciding(List.of(held(10), held(25)))).containsExactly(25);
        assertThat(CapacityRun.deciding(List.of(failed(10)))).containsExactly(10);
    }

    @Test
    void theCapacityIsTheHighestDecidingStepThatHeldEveryRepeat() {
        CapacityRun.Decision d = CapacityRun.decide(List.of(held(10), held(25), failed(40)),
                List.of(held(25), failed(40), held(25), held(40), held(25), failed(40)));

        assertThat(d.capacity()).isEqualTo(25);
        assertThat(d.tallies().get(25)).isEqualTo(new CapacityRun.Tally(true, 3, 3));
        assertThat(d.tallies().get(40)).isEqualTo(new CapacityRun.Tally(false, 1, 3));
        assertThat(d.describe()).isEqualTo("capacity: 25 sessions; repeats: 25 sessions held 3/3 (ramp: held), "
                + "40 sessions held 1/3 (ramp: failed)");
    }

    @Test
    void theStepAboveCountsWhenItHeldEveryRepeat() {
        CapacityRun.Decision d = CapacityRun.decide(List.of(held(10), failed(25)),
                List.of(held(10), held(25), held(10), held(25)));

        assertThat(d.capacity()).isEqualTo(25);
    }

    @Test
    void oneFailedRepeatLeavesTheCountUnconfirmed() {
        CapacityRun.Decision d = CapacityRun.decide(List.of(held(10), failed(25)),
                List.of(held(10), failed(25), failed(10), failed(25)));

        assertThat(d.capacity()).isZero();
        assertThat(d.describe()).startsWith("capacity: no session count held every time");
    }

    @Test
    void withoutRepeatsTheRampDecides() {
        assertThat(CapacityRun.decide(List.of(held(10), held(25), failed(40), held(60)), List.of()).capacity())
                .isEqualTo(25);
        assertThat(CapacityRun.decide(List.of(failed(10)), List.of()).capacity()).isZero();
    }
}
