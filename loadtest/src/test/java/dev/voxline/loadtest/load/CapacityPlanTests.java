package dev.voxline.loadtest.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CapacityPlanTests {

    private static CapacityRun.Plan plan(List<Integer> steps, Duration step, Duration ramp, int minTurns) {
        return new CapacityRun.Plan(steps, step, ramp, Duration.ofMinutes(5), Duration.ofSeconds(15), 50,
                Duration.ofSeconds(30), minTurns);
    }

    @Test
    void aPlanKeepsItsStepsAndTurnMinimum() {
        CapacityRun.Plan plan = plan(List.of(10, 25, 40), Duration.ofSeconds(60), Duration.ofSeconds(10), 200);

        assertThat(plan.steps()).containsExactly(10, 25, 40);
        assertThat(plan.minTurns()).isEqualTo(200);
        assertThat(plan.totalMs()).isEqualTo(30_000 + 3 * 60_000 + 300_000);
    }

    @Test
    void badPlansAreRefusedWithTheOptionToFix() {
        assertThatThrownBy(() -> plan(List.of(10), Duration.ofSeconds(60), Duration.ofSeconds(10), -1))
                .hasMessageContaining("--min-turns");
        assertThatThrownBy(() -> plan(List.of(10), Duration.ofSeconds(10), Duration.ofSeconds(10), 0))
                .hasMessageContaining("--step-ramp");
        assertThatThrownBy(() -> plan(List.of(25, 10), Duration.ofSeconds(60), Duration.ofSeconds(10), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
