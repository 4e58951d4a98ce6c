package dev.voxline.metrics.alert;

import static dev.voxline.metrics.alert.AlertFixtures.e2e;
import static dev.voxline.metrics.alert.AlertFixtures.e2eRule;
import static dev.voxline.metrics.alert.AlertFixtures.rules;
import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.metrics.report.MutableClock;
import dev.voxline.metrics.summary.RollingWindows;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The alert lifecycle on virtual time: the windows and the evaluator share a clock the test moves. */
class AlertEvaluatorTests {

    private final MutableClock clock = new MutableClock();
    private final RollingWindows windows = new RollingWindows(clock, 1_000, 100, 100);

    private AlertEvaluator evaluator(AlertRule... rules) {
        return new AlertEvaluator(clock, windows, List.of(rules));
    }

    private static List<String> states(List<VoiceEvent.AlertTransition> transitions) {
        return transitions.stream().map(VoiceEvent.AlertTransition::state).toList();
    }

    @Test
    void pendingThenFiringOnceTheConditionHeldForTheWholeForDuration() {
        AlertEvaluator evaluator = evaluator(e2eRule("30s"));
        windows.add(e2e("s-1", "t-1", 1_500));

        List<VoiceEvent.AlertTransition> pending = evaluator.evaluate();
        assertThat(states(pending)).containsExactly("pending");
        assertThat(pending.get(0).value()).isEqualTo(1_500);
        assertThat(pending.get(0).activeAt()).isEqualTo(clock.millis());
        assertThat(pending.get(0).firedAt()).isNull();
        long activeAt = clock.millis();

        clock.advance(Duration.ofSeconds(29));
        windows.add(e2e("s-2", "t-2", 1_400)); // still slow, another session
        assertThat(evaluator.evaluate()).as("not yet 30 s").isEmpty();
        assertThat(evaluator.statuses()).singleElement().extracting(AlertStatus::state).isEqualTo("pending");

        clock.advance(Duration.ofSeconds(1));
        List<VoiceEvent.AlertTransition> firing = evaluator.evaluate();
        assertThat(states(firing)).containsExactly("firing");
        assertThat(firing.get(0).activeAt()).isEqualTo(activeAt);
        assertThat(firing.get(0).firedAt()).isEqualTo(clock.millis());
        assertThat(firing.get(0).severity()).isEqualTo("critical");
        assertThat(firing.get(0).labels()).containsEntry("team", "voice");
        assertThat(evaluator.evaluate()).as("fires once").isEmpty();
    }

    @Test
    void aConditionThatClearsInsideForGoesBackToInactiveAndNeverFires() {
        AlertEvaluator evaluator = evaluator(e2eRule("30s"));
        windows.add(e2e("s-1", "t-1", 1_500));
        assertThat(states(evaluator.evaluate())).containsExactly("pending");

        clock.advance(Duration.ofSeconds(20));
        for (int i = 2; i <= 11; i++) { // ten fast turns push the slow one out of the last-10 window
            windows.add(e2e("s-1", "t-" + i, 400));
        }
        assertThat(states(evaluator.evaluate())).containsExactly("inactive");

        clock.advance(Duration.ofSeconds(15)); // 35 s after it first became true: must not fire now
        windows.add(e2e("s-1", "t-12", 500));
        assertThat(evaluator.evaluate()).isEmpty();
        assertThat(evaluator.statuses()).singleElement().satisfies(status -> {
            assertThat(status.state()).isEqualTo("inactive");
            assertThat(status.firedAt()).isNull();
            assertThat(status.activeAt()).isNull();
        });
    }

    @Test
    void aSlowTurnAgainAfterClearingStartsTheForDurationAfresh() {
        AlertEvaluator evaluator = evaluator(e2eRule("30s"));
        windows.add(e2e("s-1", "t-1", 1_500));
        evaluator.evaluate();
        clock.advance(Duration.ofSeconds(61)); // slid out of the 60 s bound: cleared
        assertThat(states(evaluator.evaluate())).containsExactly("inactive");

        windows.add(e2e("s-1", "t-2", 1_600));
        assertThat(states(evaluator.evaluate())).containsExactly("pending");
        clock.advance(Duration.ofSeconds(29));
        assertThat(evaluator.evaluate()).as("the 30 s count from the new pending").isEmpty();
    }

    @Test
    void aFiringAlertResolvesWhenTheTimeWindowSlidesPastItsTurnsWithoutNewTurns() {
        AlertEvaluator evaluator = evaluator(e2eRule("0s"));
        windows.add(e2e("s-1", "t-1", 2_000));
        assertThat(states(evaluator.evaluate())).as("for 0s: straight to firing").containsExactly("firing");

        clock.advance(Duration.ofSeconds(59));
        assertThat(evaluator.evaluate()).isEmpty();
        clock.advance(Duration.ofSeconds(2));
        List<VoiceEvent.AlertTransition> resolved = evaluator.evaluate();
        assertThat(states(resolved)).containsExactly("resolved");
        assertThat(resolved.get(0).value()).as("no turn left in the window").isNull();
        assertThat(resolved.get(0).firedAt()).isEqualTo(clock.millis() - 61_000);
        assertThat(evaluator.statuses()).singleElement().satisfies(status -> {
            assertThat(status.state()).isEqualTo("resolved");
            assertThat(status.resolvedAt()).isEqualTo(clock.millis());
        });

        windows.add(e2e("s-1", "t-2", 2_000));
        assertThat(states(evaluator.evaluate())).as("fires again").containsExactly("firing");
    }

    @Test
    void theStatisticIsTakenOverTheWindowNotTheLatestTurn() {
        AlertEvaluator evaluator = evaluator(rules("""
                rules:
                  - { id: avg_ttft, metric: llm_ttft, statistic: avg, threshold: 500, window: { turns: 4 } }
                  - { id: last_ttft, metric: llm_ttft, statistic: value, threshold: 500, window: { turns: 4 } }
                  - { id: min_ttft, metric: llm_ttft, statistic: min, threshold: 100, comparison: "<=" }
                """).toArray(AlertRule[]::new));
        for (double ttft : new double[] {900, 700, 300, 150}) {
            windows.add(AlertFixtures.turn("s-1", "t-" + ttft, 800.0, ttft, 90.0));
        }
        // avg 512.5 > 500; newest 150 is not; min 150 is not <= 100
        assertThat(evaluator.evaluate()).extracting(VoiceEvent.AlertTransition::ruleId).containsExactly("avg_ttft");

        windows.add(AlertFixtures.turn("s-1", "t-fast", 800.0, 90.0, 90.0));
        // avg of 700, 300, 150, 90 = 310: cleared; min 90 <= 100
        assertThat(evaluator.evaluate()).extracting(t -> t.ruleId() + " " + t.state())
                .containsExactly("avg_ttft resolved", "min_ttft firing");
    }

    @Test
    void replacingRulesKeepsTheStateOfAnUnchangedRuleAndResolvesARemovedFiringOne() {
        AlertRule e2e = e2eRule("0s");
        AlertRule ttft = rules("rules: [{ id: ttft, metric: llm_ttft, statistic: max, threshold: 100 }]").get(0);
        AlertEvaluator evaluator = evaluator(e2e, ttft);
        windows.add(e2e("s-1", "t-1", 2_000)); // llm_ttft 200 > 100 too
        assertThat(states(evaluator.evaluate())).containsExactly("firing", "firing");

        List<VoiceEvent.AlertTransition> replaced = evaluator.replaceRules(List.of(e2eRule("0s")));
        assertThat(replaced).extracting(t -> t.ruleId() + " " + t.state()).containsExactly("ttft resolved");
        assertThat(evaluator.statuses()).singleElement().extracting(AlertStatus::state).isEqualTo("firing");
        assertThat(evaluator.evaluate()).as("e2e_p95 kept firing, not fired again").isEmpty();

        assertThat(evaluator.replaceRules(List.of(e2eRule("10s")))).as("changed while firing")
                .extracting(t -> t.ruleId() + " " + t.state()).containsExactly("e2e_p95 resolved");
        assertThat(states(evaluator.evaluate())).containsExactly("pending");
    }
}
