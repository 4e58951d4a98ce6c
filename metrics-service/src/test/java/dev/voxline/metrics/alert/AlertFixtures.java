package dev.voxline.metrics.alert;

import dev.voxline.contracts.event.VoiceEvent;
import java.util.List;

/** Turn reports with the figures alert rules watch, and rules written as in a rules file. */
final class AlertFixtures {

    private AlertFixtures() {
    }

    /** A turn with {@code e2e}, {@code llm_ttft} and {@code tts_ttfb} as given (null: absent). */
    static VoiceEvent.TurnMetrics turn(String session, String turn, Double e2e, Double llmTtft, Double ttsTtfb) {
        return new VoiceEvent.TurnMetrics(1, 0, session, turn, 400.0, 120.0, null, null, null, llmTtft, 30.0, null,
                null, null, null, ttsTtfb, null, null, null, 6.0, e2e, false, false, null, null, null, null);
    }

    static VoiceEvent.TurnMetrics e2e(String session, String turn, double e2e) {
        return turn(session, turn, e2e, 200.0, 80.0);
    }

    /** {@code p95(e2e) > 1000} over the last 10 turns within 60 s, {@code for} as given. */
    static AlertRule e2eRule(String forDuration) {
        return rules("""
                rules:
                  - id: e2e_p95
                    name: TurnE2eSlow
                    metric: e2e
                    statistic: p95
                    threshold: 1000
                    window: { turns: 10, time: 60s }
                    for: %s
                    severity: critical
                    labels: { team: voice }
                """.formatted(forDuration)).get(0);
    }

    static List<AlertRule> rules(String yaml) {
        return AlertRules.parse(yaml, "test");
    }
}
