package dev.voxline.metrics.alert;

import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.metrics.report.TurnReport;
import dev.voxline.metrics.report.TurnReporter;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Runs the alert rules: evaluates them on every finished turn report and on every tick, and sends each transition
 * where it belongs: voice.alerts, the operators' stream ({@link #live()}), the meters and the Alertmanager webhook
 * (firing and resolved only). A turn whose own figure crosses a rule's threshold is also told to its own session's
 * client, on that session's downlink route. Never throws: a transition that cannot be sent somewhere is logged and
 * still goes everywhere else.
 */
public final class AlertMonitor implements TurnReporter.Listener {

    /** Where transitions are published for anyone (voice.alerts over Spring Cloud Stream in the service). */
    @FunctionalInterface
    public interface AlertsTopic {
        void publish(VoiceEvent.AlertTransition transition);
    }

    private static final Logger log = LoggerFactory.getLogger(AlertMonitor.class);

    private final AlertEvaluator evaluator;
    private final AlertsTopic alertsTopic;
    private final VoiceTransport transport;
    private final AlertMeters meters;
    private final AlertmanagerWebhook webhook;
    private final boolean clientAlerts;
    private final Clock clock;
    private final Sinks.Many<VoiceEvent.AlertTransition> live = Sinks.many().multicast().directBestEffort();

    /** {@code webhook} null: no Alertmanager configured. */
    AlertMonitor(AlertEvaluator evaluator, AlertsTopic alertsTopic, VoiceTransport transport, AlertMeters meters,
                 AlertmanagerWebhook webhook, boolean clientAlerts, Clock clock) {
        this.evaluator = evaluator;
        this.alertsTopic = alertsTopic;
        this.transport = transport;
        this.meters = meters;
        this.webhook = webhook;
        this.clientAlerts = clientAlerts;
        this.clock = clock;
        meters.firing(evaluator.statuses());
    }

    @Override
    public void onReport(TurnReport report) {
        evaluate();
        if (clientAlerts) {
            tellClient(report);
        }
    }

    /** Evaluates every rule (called periodically, so time windows slide without new turns). */
    public void tick() {
        evaluate();
        if (webhook != null) {
            webhook.tick(clock.millis());
        }
    }

    /** Puts new rules in force (already validated) and evaluates them at once. */
    public synchronized void replaceRules(List<AlertRule> rules) {
        publish(evaluator.replaceRules(rules));
        meters.firing(evaluator.statuses());
        publish(evaluator.evaluate());
        log.info("alert rules in force: {}", rules.stream().map(AlertRule::id).toList());
    }

    public List<AlertRule> rules() {
        return evaluator.rules();
    }

    public List<AlertStatus> statuses() {
        return evaluator.statuses();
    }

    /** Transitions from now on, to every subscriber; one that cannot keep up misses some. */
    public Flux<VoiceEvent.AlertTransition> live() {
        return live.asFlux();
    }

    /** Evaluation and publication under one lock, so transitions go out in the order they happen. */
    private synchronized void evaluate() {
        publish(evaluator.evaluate());
    }

    private synchronized void publish(List<VoiceEvent.AlertTransition> transitions) {
        if (transitions.isEmpty()) {
            return;
        }
        for (VoiceEvent.AlertTransition transition : transitions) {
            if (VoiceEvent.AlertTransition.FIRING.equals(transition.state())) {
                log.warn("alert {} firing: {}", transition.ruleId(), transition.message());
            } else {
                log.info("alert {} {}: {}", transition.ruleId(), transition.state(), transition.message());
            }
            meters.transition(transition);
            live.tryEmitNext(transition); // under the lock: one emitter at a time, as the sink requires
            try {
                alertsTopic.publish(transition);
            } catch (RuntimeException e) {
                log.warn("cannot publish alert {} {} on voice.alerts: {}", transition.ruleId(), transition.state(),
                        e.toString());
            }
            if (webhook != null) {
                try {
                    webhook.notify(transition);
                } catch (RuntimeException e) {
                    log.warn("cannot notify Alertmanager of alert {} {}: {}", transition.ruleId(),
                            transition.state(), e.toString());
                }
            }
        }
        meters.firing(evaluator.statuses());
    }

    private void tellClient(TurnReport report) {
        if (report.route().downlinkPartition() < 0) {
            return; // nowhere to send it: the turn report itself was not sent either
        }
        for (VoiceEvent.Alert alert : ClientAlerts.of(report.metrics(), evaluator.rules())) {
            try {
                transport.toDownlink(report.route(), alert);
            } catch (RuntimeException e) {
                log.warn("cannot send alert {} session={} turn={} to the client: {}", alert.ruleId(),
                        alert.sessionId(), alert.turnId(), e.toString());
            }
        }
    }
}
