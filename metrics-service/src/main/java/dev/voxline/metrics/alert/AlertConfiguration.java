package dev.voxline.metrics.alert;

import dev.voxline.kafka.VoiceTransport;
import dev.voxline.metrics.KafkaMessages;
import dev.voxline.metrics.PeriodicTask;
import dev.voxline.metrics.summary.RollingWindows;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Alert rules over the rolling windows (on unless {@code voxline.alerts.enabled=false}): transitions on voice.alerts
 * through Spring Cloud Stream (output binding {@value #ALERTS_BINDING}, see metrics-service.yml) keyed by rule id,
 * the REST and SSE view, the Alertmanager webhook when {@code voxline.alerts.alertmanager.url} is set. Rules that
 * are not valid stop the service at start, with every problem named.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AlertProperties.class)
@ConditionalOnProperty(prefix = "voxline.alerts", name = "enabled", matchIfMissing = true)
public class AlertConfiguration {

    public static final String ALERTS_BINDING = "alertTransitions";

    @Bean
    AlertMonitor alertMonitor(AlertProperties properties, RollingWindows windows, StreamBridge streamBridge,
                              VoiceTransport transport, MeterRegistry registry) {
        List<AlertRule> rules = properties.file() == null || properties.file().isBlank()
                ? AlertRules.validate(properties.rules(), "voxline.alerts.rules")
                : AlertRules.read(Path.of(properties.file()));
        Clock clock = Clock.systemUTC();
        AlertProperties.Alertmanager alertmanager = properties.alertmanager();
        AlertmanagerWebhook webhook = alertmanager.url() == null || alertmanager.url().isBlank() ? null
                : new AlertmanagerWebhook(WebClient.create(), alertmanager.url(), properties.externalUrl(),
                        alertmanager.timeout(), alertmanager.resendInterval(), registry);
        return new AlertMonitor(new AlertEvaluator(clock, windows, rules),
                transition -> streamBridge.send(ALERTS_BINDING, KafkaMessages.json(transition, transition.ruleId())), transport,
                new AlertMeters(registry), webhook, properties.clientAlerts(), clock);
    }

    @Bean
    PeriodicTask alertTicks(AlertMonitor monitor, AlertProperties properties) {
        return new PeriodicTask("alert evaluation", properties.evaluationInterval(), monitor::tick);
    }
}
