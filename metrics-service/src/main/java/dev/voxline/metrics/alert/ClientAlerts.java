package dev.voxline.metrics.alert;

import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.metrics.summary.RollingWindows;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code alert} events a finished turn earns its own session's client: one per rule whose threshold the turn's
 * own figure crosses. Only the turn's figures go in, never a rule's statistic over the window (that mixes every
 * session's turns), so nothing of another session can reach the client.
 */
final class ClientAlerts {

    private ClientAlerts() {
    }

    static List<VoiceEvent.Alert> of(VoiceEvent.TurnMetrics turn, List<AlertRule> rules) {
        List<VoiceEvent.Alert> alerts = new ArrayList<>(0);
        for (AlertRule rule : rules) {
            Double value = RollingWindows.figureOf(turn, rule.metric());
            if (value != null && value >= 0 && rule.breachedBy(value)) {
                alerts.add(new VoiceEvent.Alert(turn.sessionId(), turn.turnId(), rule.id(), rule.metric(), value,
                        rule.threshold(), rule.severity(), rule.metric() + " of this turn " + AlertRule.number(value)
                        + " " + rule.comparison().symbol() + " " + AlertRule.number(rule.threshold())
                        + " (" + rule.name() + ")"));
            }
        }
        return alerts;
    }
}
