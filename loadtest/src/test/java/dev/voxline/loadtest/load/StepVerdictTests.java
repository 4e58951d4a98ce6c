package dev.voxline.loadtest.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StepVerdictTests {

    @Test
    void aQuietStepHolds() {
        StepVerdict v = StepVerdict.judge(new StepVerdict.StepFigures(50, 400, 12.5, 0, 0, 0, 0));

        assertThat(v.held()).isTrue();
        assertThat(v.describe()).isEqualTo("held");
    }

    @Test
    void p99TransportAtTheLimitHoldsAndAboveFails() {
        assertThat(StepVerdict.judge(new StepVerdict.StepFigures(50, 400, 50.0, 0, 0, 0, 0)).held()).isTrue();

        StepVerdict v = StepVerdict.judge(new StepVerdict.StepFigures(250, 2000, 50.1, 0, 0, 0, 0));
        assertThat(v.held()).isFalse();
        assertThat(v.reasons()).containsExactly("p99 transport 50.1 ms > 50 ms");
    }

    @Test
    void anyUnderrunDropOrErrorFailsAndEveryReasonIsGiven() {
        StepVerdict v = StepVerdict.judge(new StepVerdict.StepFigures(300, 2000, 80, 1, 2, 3, 0));

        assertThat(v.held()).isFalse();
        assertThat(v.reasons()).containsExactly("p99 transport 80.0 ms > 50 ms", "1 reply audio underrun",
                "2 sessions dropped", "3 errors");
        assertThat(v.describe()).startsWith("failed: p99 transport");
    }

    @Test
    void aStepWithoutTurnsOrTransportFiguresCannotHold() {
        assertThat(StepVerdict.judge(new StepVerdict.StepFigures(10, 0, Double.NaN, 0, 0, 0, 0)).reasons())
                .containsExactly("no turn completed");
        assertThat(StepVerdict.judge(new StepVerdict.StepFigures(10, 30, Double.NaN, 0, 0, 0, 0)).reasons())
                .containsExactly("no transport figure (turn.metrics) measured");
    }

    @Test
    void theLimitCanBeChosen() {
        assertThat(StepVerdict.judge(new StepVerdict.StepFigures(10, 30, 20, 0, 0, 0, 0), 10).held()).isFalse();
    }
}
