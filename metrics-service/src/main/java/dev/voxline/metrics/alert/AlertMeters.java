package dev.voxline.metrics.alert;

import dev.voxline.contracts.event.VoiceEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;

/**
 * {@code voice.alerts.firing} (1 while a rule's alert fires, else 0; tags {@code rule}, {@code severity}; a rule
 * that is removed disappears) and {@code voice.alerts.transitions} (tags {@code rule}, {@code state}): in Prometheus
 * {@code voice_alerts_firing} and {@code voice_alerts_transitions_total}.
 */
final class AlertMeters {

    static final String FIRING = "voice.alerts.firing";
    static final String TRANSITIONS = "voice.alerts.transitions";

    private final MeterRegistry registry;
    private final MultiGauge firing;

    AlertMeters(MeterRegistry registry) {
        this.registry = registry;
        this.firing = MultiGauge.builder(FIRING)
                .description("1 while the rule's alert is firing")
                .register(registry);
    }

    void transition(VoiceEvent.AlertTransition transition) {
        Counter.builder(TRANSITIONS)
                .description("Alert state changes, by rule and the state entered")
                .tags("rule", transition.ruleId(), "state", transition.state())
                .register(registry)
                .increment();
    }

    void firing(List<AlertStatus> statuses) {
        firing.register(statuses.stream()
                .map(s -> MultiGauge.Row.of(Tags.of("rule", s.ruleId(), "severity", s.severity()),
                        VoiceEvent.AlertTransition.FIRING.equals(s.state()) ? 1 : 0))
                .toList(), true);
    }
}
