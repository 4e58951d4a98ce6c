package dev.voxline.metrics.alert;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;

/**
 * Alert rules ({@code voxline.alerts.*}). The rules are {@code file} when it is set (a YAML file with a
 * {@code rules:} list, re-read by {@code POST /api/v1/alerts/rules/reload}), else {@code rules}; metrics-service.yml
 * holds the defaults. Rules are bound as text and validated by {@link AlertRules}, so a mistake is reported with the
 * rule's id and field rather than as a binding failure.
 *
 * @param evaluationInterval how often every rule is evaluated besides on each new turn report, so that alerts fire
 *                           and resolve as time windows slide without new turns
 * @param clientAlerts       tell a session's client ({@code alert} on its downlink) when its own turn crosses a
 *                           rule's threshold
 * @param externalUrl        where operators reach this service, for the Alertmanager {@code generatorURL}
 */
@ConfigurationProperties("voxline.alerts")
public record AlertProperties(
        @DefaultValue("true") boolean enabled,
        String file,
        List<RuleSpec> rules,
        @DefaultValue("1s") Duration evaluationInterval,
        @DefaultValue("true") boolean clientAlerts,
        @DefaultValue("http://localhost:8085") String externalUrl,
        @DefaultValue Alertmanager alertmanager) {

    public AlertProperties {
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    /**
     * One rule as written; every field is text until {@link AlertRules#validate} reads it.
     *
     * @param forDuration YAML {@code for}: how long the condition must hold before the alert fires
     */
    public record RuleSpec(String id, String name, String metric, String statistic, String threshold,
                           String comparison, Window window, @Name("for") String forDuration, String severity,
                           Map<String, String> labels, String description) {
    }

    /** {@code turns}: the last N turns; {@code time}: the turns of the last T (e.g. {@code 60s}); either or both. */
    public record Window(String turns, String time) {
    }

    /**
     * The Alertmanager v2 webhook: off while {@code url} is empty. Firing alerts are re-sent every
     * {@code resendInterval} (as Prometheus does), so that Alertmanager does not resolve them on its own.
     */
    public record Alertmanager(String url, @DefaultValue("5s") Duration timeout,
                               @DefaultValue("1m") Duration resendInterval) {
    }
}
