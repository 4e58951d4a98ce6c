package dev.voxline.metrics;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * metrics-service: ingests the low-rate metric events every service publishes on voice.metrics. Per-turn reports,
 * rolling windows and alert rules build on this ingest (packages {@code report}, {@code window}, {@code alert}).
 */
@SpringBootApplication
public class MetricsApplication {

    public static final String SERVICE_NAME = "metrics-service";

    public static void main(String[] args) {
        new SpringApplicationBuilder(MetricsApplication.class)
                .properties("spring.config.name=" + SERVICE_NAME)
                .run(args);
    }
}
