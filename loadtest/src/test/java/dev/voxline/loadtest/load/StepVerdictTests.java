package dev.voxline.loadtest.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StepVerdictTests {

    private static final StepVerdict.Baseline SINGLE = new StepVerdict.Baseline(60, 1100, 1150);
    private static final StepVerdict.Criteria CRITERIA = StepVerdict.Criteria.standard();

    /** 400 turns, p95 1120 / p99 1200 ms, 800 s of reply audio, no underrun, half the machine. */
    private static StepVerdict.StepFigures quiet() {
        return new StepVerdict.StepFigures(50, 400, 1120, 1200, 0, 800_000, 0, 0, 0, 0.5, 35);
    }

    private static StepVerdict.StepFigures with(int turns, double p95, double p99, double underrunMs, int dropped,
                                                int errors, int unanswered, double cpu) {
        return new StepVerdict.StepFigures(50, turns, p95, p99, underrunMs, 800_000, dropped, errors, unanswered,
                cpu, 35);
    }

    @Test
    void aQuietStepHolds() {
        StepVerdict v = StepVerdict.judge(quiet(), SINGLE, CRITERIA);

        assertThat(v.held()).isTrue();
        assertThat(v.describe()).isEqualTo("held");
    }

    @Test
    void clientE2eMayExceedTheSingleSessionByTheMarginsAndNoMore() {
        assertThat(StepVerdict.judge(with(400, 1150, 1250, 0, 0, 0, 0, 0.5), SINGLE, CRITERIA).held()).isTrue();

        assertThat(StepVerdict.judge(with(400, 1150.5, 1250, 0, 0, 0, 0, 0.5), SINGLE, CRITERIA).reasons())
                .containsExactly("client E2E p95 1151 ms > single 1100 + 50 ms");
        assertThat(StepVerdict.judge(with(400, 1120, 1251, 0, 0, 0, 0, 0.5), SINGLE, CRITERIA).reasons())
                .containsExactly("client E2E p99 1251 ms > single 1150 + 100 ms");
    }

    @Test
    void transportIsNotJudged() {
        StepVerdict.StepFigures f = new StepVerdict.StepFigures(50, 400, 1120, 1200, 0, 800_000, 0, 0, 0, 0.5, 900);

        assertThat(StepVerdict.judge(f, SINGLE, CRITERIA).held()).isTrue();
    }

    @Test
    void underrunTimeUpToATenthOfAPercentOfReplyAudioIsTolerated() {
        assertThat(StepVerdict.judge(with(400, 1120, 1200, 800, 0, 0, 0, 0.5), SINGLE, CRITERIA).held()).isTrue();

        assertThat(StepVerdict.judge(with(400, 1120, 1200, 801, 0, 0, 0, 0.5), SINGLE, CRITERIA).reasons())
                .containsExactly("underrun 801 ms = 0.10 % of 800 s reply audio > 0.10 %");
    }

    @Test
    void tooFewTurnsFailEvenWhenEverythingElseIsQuiet() {
        assertThat(StepVerdict.judge(with(199, 1120, 1200, 0, 0, 0, 0, 0.5), SINGLE, CRITERIA).reasons())
                .containsExactly("199 turns < 200");
        assertThat(StepVerdict.judge(with(20, 1120, 1200, 0, 0, 0, 0, 0.5), SINGLE, CRITERIA.withMinTurns(20))
                .held()).isTrue();
    }

    @Test
    void dropsErrorsUnansweredTurnsAndCpuEachFailAndEveryReasonIsGiven() {
        StepVerdict v = StepVerdict.judge(with(400, 1120, 1200, 0, 2, 1, 3, 0.76), SINGLE, CRITERIA);

        assertThat(v.held()).isFalse();
        assertThat(v.reasons()).containsExactly("2 sessions dropped", "1 error", "3 turns without a reply",
                "suite CPU 76 % > 75 % of the machine");
        assertThat(v.describe()).startsWith("failed: 2 sessions dropped");
        assertThat(StepVerdict.judge(with(400, 1120, 1200, 0, 0, 0, 0, 0.75), SINGLE, CRITERIA).held()).isTrue();
    }

    @Test
    void aStepWithoutTurnsOrABaselineCannotHold() {
        assertThat(StepVerdict.judge(with(0, Double.NaN, Double.NaN, 0, 0, 0, 0, 0.1), SINGLE, CRITERIA).reasons())
                .containsExactly("no turn completed");
        StepVerdict.Baseline none = new StepVerdict.Baseline(0, Double.NaN, Double.NaN);
        assertThat(StepVerdict.judge(quiet(), none, CRITERIA).reasons())
                .containsExactly("no single-session baseline", "no single-session baseline");
    }
}
