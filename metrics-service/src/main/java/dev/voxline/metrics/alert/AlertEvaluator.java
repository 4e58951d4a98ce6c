package dev.voxline.metrics.alert;

import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.metrics.summary.RollingWindows;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The alert lifecycle of every rule, evaluated over the {@link RollingWindows} (pure logic: time only from the
 * injected {@link Clock}). Per rule: inactive → pending when its condition becomes true → firing once it has been
 * true continuously for the rule's {@code for} (at once when {@code for} is 0) → resolved when it becomes false.
 * A pending alert whose condition clears goes back to inactive and never fires: a condition must hold for the
 * whole {@code for}, which is what keeps a noisy figure from flapping. A window with no turn holding the figure is
 * a false condition, so an alert resolves once its turns have slid out of the window's time bound.
 *
 * <p>Thread-safe (synchronized): the ingest thread and the evaluation tick share it.
 */
public final class AlertEvaluator {

    enum State { INACTIVE, PENDING, FIRING, RESOLVED }

    private final Clock clock;
    private final RollingWindows windows;
    private final Map<String, RuleState> states = new LinkedHashMap<>(); // in rule order

    private static final class RuleState {
        final AlertRule rule;
        State state = State.INACTIVE;
        Long activeAt;
        Long firedAt;
        Long resolvedAt;
        Double value;
        long evaluatedAt;

        RuleState(AlertRule rule) {
            this.rule = rule;
        }
    }

    public AlertEvaluator(Clock clock, RollingWindows windows, List<AlertRule> rules) {
        this.clock = clock;
        this.windows = windows;
        rules.forEach(rule -> states.put(rule.id(), new RuleState(rule)));
    }

    /** Evaluates every rule now; returns the transitions, in rule order. */
    public synchronized List<VoiceEvent.AlertTransition> evaluate() {
        long now = clock.millis();
        List<VoiceEvent.AlertTransition> transitions = new ArrayList<>();
        for (RuleState rule : states.values()) {
            evaluate(rule, now, transitions);
        }
        return transitions;
    }

    /**
     * Puts {@code rules} in force. A rule whose definition is unchanged keeps its state; a firing alert of a rule that
     * is removed or changed is resolved (so that nobody waits for its resolution), and a changed rule starts
     * inactive. Returns those resolutions.
     */
    public synchronized List<VoiceEvent.AlertTransition> replaceRules(List<AlertRule> rules) {
        long now = clock.millis();
        List<VoiceEvent.AlertTransition> transitions = new ArrayList<>();
        Map<String, RuleState> kept = new LinkedHashMap<>();
        for (AlertRule rule : rules) {
            RuleState old = states.get(rule.id());
            kept.put(rule.id(), old != null && old.rule.equals(rule) ? old : new RuleState(rule));
        }
        for (RuleState old : states.values()) {
            if (kept.get(old.rule.id()) != old && old.state == State.FIRING) {
                old.state = State.RESOLVED;
                old.resolvedAt = now;
                transitions.add(transition(old, now, "rule " + (kept.containsKey(old.rule.id()) ? "changed"
                        : "removed")));
                old.activeAt = null;
            }
        }
        states.clear();
        states.putAll(kept);
        return transitions;
    }

    public synchronized List<AlertRule> rules() {
        return states.values().stream().map(s -> s.rule).toList();
    }

    public synchronized List<AlertStatus> statuses() {
        return states.values().stream().map(AlertEvaluator::status).toList();
    }

    private void evaluate(RuleState rule, long now, List<VoiceEvent.AlertTransition> transitions) {
        AlertRule definition = rule.rule;
        Optional<RollingWindows.FigureWindow> window = windows.figure(definition.metric(), definition.windowTurns(),
                definition.windowTime().toMillis());
        rule.value = window.map(definition.statistic()::of).orElse(null);
        rule.evaluatedAt = now;
        boolean breached = rule.value != null && definition.breachedBy(rule.value);
        switch (rule.state) {
            case INACTIVE, RESOLVED -> {
                if (breached) {
                    rule.activeAt = now;
                    if (definition.forDuration().isZero()) {
                        fire(rule, now, transitions);
                    } else {
                        rule.state = State.PENDING;
                        transitions.add(transition(rule, now, null));
                    }
                }
            }
            case PENDING -> {
                if (!breached) {
                    rule.state = State.INACTIVE;
                    rule.activeAt = null;
                    transitions.add(transition(rule, now, "cleared within " + AlertRule.format(
                            definition.forDuration()) + ": not fired"));
                } else if (now - rule.activeAt >= definition.forDuration().toMillis()) {
                    fire(rule, now, transitions);
                }
            }
            case FIRING -> {
                if (!breached) {
                    rule.state = State.RESOLVED;
                    rule.resolvedAt = now;
                    rule.activeAt = null;
                    transitions.add(transition(rule, now, null));
                }
            }
        }
    }

    private static void fire(RuleState rule, long now, List<VoiceEvent.AlertTransition> transitions) {
        rule.state = State.FIRING;
        rule.firedAt = now;
        rule.resolvedAt = null;
        transitions.add(transition(rule, now, null));
    }

    private static VoiceEvent.AlertTransition transition(RuleState state, long now, String why) {
        AlertRule rule = state.rule;
        String value = state.value == null ? "no turn with " + rule.metric() + " in the window"
                : rule.statistic().label() + "(" + rule.metric() + ") = " + AlertRule.number(state.value);
        String message = (rule.description() == null ? "" : rule.description() + " — ") + rule.name() + ": "
                + value + "; alerts when " + rule.condition()
                + (why == null ? "" : " (" + why + ")");
        return new VoiceEvent.AlertTransition(VoiceEvent.SCHEMA_VERSION, now, null, rule.id(), rule.name(),
                stateName(state.state),
                rule.metric(), rule.statistic().label(), rule.comparison().symbol(), state.value, rule.threshold(),
                rule.severity(), rule.labels(), state.activeAt,
                state.state == State.FIRING || state.state == State.RESOLVED ? state.firedAt : null, message);
    }

    private static String stateName(State state) {
        return state.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static AlertStatus status(RuleState state) {
        AlertRule rule = state.rule;
        return new AlertStatus(rule.id(), rule.name(), stateName(state.state), rule.condition(), rule.metric(),
                rule.statistic().label(), rule.comparison().symbol(), rule.threshold(), state.value, rule.severity(),
                rule.labels(), state.activeAt, state.state == State.PENDING || state.state == State.INACTIVE ? null
                : state.firedAt, state.state == State.RESOLVED ? state.resolvedAt : null, state.evaluatedAt);
    }
}
