package dev.voxline.kafka.spring;

import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Observability defaults every Voxline service shares, at the lowest precedence (any Spring property wins):
 * <ul>
 *   <li>every turn is traced ({@code management.tracing.sampling.probability} 1.0): trace ids exist always, and
 *       sampling a voice turn makes little sense when the trace is what explains one slow turn;</li>
 *   <li>nothing is exported unless an endpoint is named, through the OpenTelemetry SDK's usual environment
 *       variables — {@code OTEL_EXPORTER_OTLP_ENDPOINT} (traces to {@code /v1/traces}, metrics to
 *       {@code /v1/metrics}), or {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} / {@code
 *       OTEL_EXPORTER_OTLP_METRICS_ENDPOINT} as they are, {@code OTEL_TRACES_EXPORTER=none} and {@code
 *       OTEL_TRACES_SAMPLER_ARG} — or the Spring properties they map to;</li>
 *   <li>the OTLP metrics push is off without an endpoint (Prometheus scrapes {@code /actuator/prometheus});</li>
 *   <li>the health probe groups exist everywhere, not only on Kubernetes: {@code /actuator/health/liveness} (the
 *       process is alive) and {@code /actuator/health/readiness} (ready for traffic, Kafka included:
 *       {@link KafkaReadinessGroup}).</li>
 * </ul>
 */
public final class ObservabilityDefaults implements EnvironmentPostProcessor {

    static final String SOURCE = "voxline-observability-defaults";
    static final String TRACES_ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";
    static final String METRICS_ENABLED = "management.otlp.metrics.export.enabled";
    static final String METRICS_URL = "management.otlp.metrics.export.url";
    static final String PROBES_ENABLED = "management.endpoint.health.probes.enabled";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, defaults(environment::getProperty)));
    }

    static Map<String, Object> defaults(UnaryOperator<String> env) {
        Map<String, Object> defaults = new HashMap<>();
        defaults.put(PROBES_ENABLED, "true");
        String sampling = env.apply("OTEL_TRACES_SAMPLER_ARG");
        defaults.put("management.tracing.sampling.probability", sampling != null ? sampling : "1.0");
        String base = trimSlash(env.apply("OTEL_EXPORTER_OTLP_ENDPOINT"));
        String traces = env.apply("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
        if (traces == null && base != null) {
            traces = base + "/v1/traces";
        }
        if ("none".equalsIgnoreCase(env.apply("OTEL_TRACES_EXPORTER"))) {
            defaults.put("management.tracing.export.enabled", "false");
        } else if (traces != null) {
            defaults.put(TRACES_ENDPOINT, traces);
        }
        String metrics = env.apply("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT");
        if (metrics == null && base != null) {
            metrics = base + "/v1/metrics";
        }
        if (metrics != null && !"none".equalsIgnoreCase(env.apply("OTEL_METRICS_EXPORTER"))) {
            defaults.put(METRICS_URL, metrics);
        } else if (env.apply(METRICS_URL) == null) {
            defaults.put(METRICS_ENABLED, "false");
        }
        return defaults;
    }

    private static String trimSlash(String url) {
        return url != null && url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
