package dev.voxline.loadtest.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CapacityPlanTests {

    private static CapacityRun.Plan plan(List<Integer> steps, Duration step, Duration ramp, int baselineTurns,
                                         int repeats) {
        return new CapacityRun.Plan(steps, step, ramp, Duration.ofMinutes(5), Duration.ofSeconds(15),
                Duration.ofSeconds(30), StepVerdict.Criteria.standard(), baselineTurns, repeats);
    }

    @Test
    void aPlanKeepsItsStepsAndCountsTwoDecidingStepsPerRepeat() {
        CapacityRun.Plan plan = plan(List.of(10, 25, 40), Duration.ofSeconds(60), Duration.ofSeconds(10), 60, 3);

        assertThat(plan.steps()).containsExactly(10, 25, 40);
        assertThat(plan.criteria().minTurns()).isEqualTo(200);
        assertThat(plan.totalMs()).isEqualTo(30_000 + 3 * 60_000 + 3 * 2 * 300_000);
    }

    @Test
    void badPlansAreRefusedWithTheOptionToFix() {
        assertThatThrownBy(() -> StepVerdict.Criteria.standard().withMinTurns(-1)).hasMessageContaining("--min-turns");
        assertThatThrownBy(() -> plan(List.of(10), Duration.ofSeconds(10), Duration.ofSeconds(10), 60, 3))
                .hasMessageContaining("--step-ramp");
        assertThatThrownBy(() -> plan(List.of(10), Duration.ofSeconds(60), Duration.ofSeconds(10), 0, 3))
                .hasMessageContaining("--baseline-turns");
        assertThatThrownBy(() -> plan(List.of(10), Duration.ofSeconds(60), Duration.ofSeconds(10), 60, -1))
                .hasMessageContaining("--repeats");
        assertThatThrownBy(() -> plan(List.of(25, 10), Duration.ofSeconds(60), Duration.ofSeconds(10), 60, 3))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
