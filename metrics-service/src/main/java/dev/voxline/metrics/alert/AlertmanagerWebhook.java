package dev.voxline.metrics.alert;

import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.event.VoiceEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Posts firing and resolved alerts to an Alertmanager ({@code POST <url>/api/v2/alerts}, its v2 body: a JSON array
 * of {@code {labels, annotations, startsAt, endsAt, generatorURL}}). Alertmanager resolves an alert nobody has
 * re-sent within its {@code resolve_timeout}, so firing alerts are re-sent every {@code resendInterval}, as
 * Prometheus does. Non-blocking; a failed post is logged and counted ({@code voice.alerts.notifications},
 * {@code outcome=failed}) and never reaches the evaluation.
 */
final class AlertmanagerWebhook {

    static final String NOTIFICATIONS = "voice.alerts.notifications";

    private static final Logger log = LoggerFactory.getLogger(AlertmanagerWebhook.class);

    /** One alert in Alertmanager's v2 API ({@code postableAlert}); {@code endsAt} only once resolved. */
    record PostableAlert(Map<String, String> labels, Map<String, String> annotations, String startsAt, String endsAt,
                         String generatorURL) {
    }

    private final WebClient client;
    private final String endpoint;
    private final String externalUrl;
    private final Duration timeout;
    private final long resendMs;
    private final Counter delivered;
    private final Counter failed;
    private final Map<String, PostableAlert> firing = new LinkedHashMap<>();
    private long lastSentMs;

    AlertmanagerWebhook(WebClient client, String url, String externalUrl, Duration timeout, Duration resendInterval,
                        MeterRegistry registry) {
        this.client = client;
        this.endpoint = (url.endsWith("/") ? url.substring(0, url.length() - 1) : url) + "/api/v2/alerts";
        this.externalUrl = externalUrl.endsWith("/") ? externalUrl.substring(0, externalUrl.length() - 1)
                : externalUrl;
        this.timeout = timeout;
        this.resendMs = resendInterval.toMillis();
        this.delivered = counter(registry, "delivered");
        this.failed = counter(registry, "failed");
    }

    /** Sends a firing or resolved transition; pending and inactive ones are the operators' view alone. */
    synchronized void notify(VoiceEvent.AlertTransition transition) {
        PostableAlert alert = alert(transition);
        switch (transition.state()) {
            case VoiceEvent.AlertTransition.FIRING -> firing.put(transition.ruleId(), alert);
            case VoiceEvent.AlertTransition.RESOLVED -> firing.remove(transition.ruleId());
            default -> {
                return;
            }
        }
        post(List.of(alert), transition.ts());
    }

    /** Re-sends the firing alerts once {@code resendInterval} has passed since the last post. */
    synchronized void tick(long nowMs) {
        if (!firing.isEmpty() && nowMs - lastSentMs >= resendMs) {
            post(new ArrayList<>(firing.values()), nowMs);
        }
    }

    private void post(List<PostableAlert> alerts, long nowMs) {
        lastSentMs = nowMs;
        byte[] body = JsonCodec.get().encode(alerts);
        client.post().uri(endpoint)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .retrieve()
                .toBodilessEntity()
                .timeout(timeout)
                .subscribe(ok -> delivered.increment(), error -> {
                    failed.increment();
                    log.warn("cannot post {} alert(s) to Alertmanager at {}: {}", alerts.size(), endpoint,
                            error.toString());
                });
    }

    private PostableAlert alert(VoiceEvent.AlertTransition transition) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", transition.name());
        labels.put("severity", transition.severity());
        labels.put("rule", transition.ruleId());
        labels.put("metric", transition.metric());
        labels.put("service", "metrics-service");
        labels.putAll(transition.labels());
        String value = transition.value() == null ? "no data" : AlertRule.number(transition.value());
        Map<String, String> annotations = Map.of(
                "summary", transition.name() + ": " + transition.statistic() + "(" + transition.metric() + ") = "
                        + value + " " + transition.comparison() + " " + AlertRule.number(transition.threshold()),
                "description", transition.message());
        long startsAt = transition.firedAt() != null ? transition.firedAt() : transition.ts();
        String endsAt = VoiceEvent.AlertTransition.RESOLVED.equals(transition.state())
                ? Instant.ofEpochMilli(transition.ts()).toString() : null;
        return new PostableAlert(labels, annotations, Instant.ofEpochMilli(startsAt).toString(), endsAt,
                externalUrl + "/api/v1/alerts?rule=" + URLEncoder.encode(transition.ruleId(),
                        StandardCharsets.UTF_8));
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder(NOTIFICATIONS)
                .description("Posts to the Alertmanager webhook, by outcome")
                .tag("outcome", outcome)
                .register(registry);
    }
}
