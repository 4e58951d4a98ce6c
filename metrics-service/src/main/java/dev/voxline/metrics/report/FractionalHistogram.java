package dev.voxline.metrics.report;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A histogram of a dimensionless figure with buckets below 1 (the STT real-time factor), by one label. Micrometer's
 * histograms count a value in the first bucket at or above its ceiling (an RTF of 0.07 lands in the 1.0 bucket), so
 * on a Prometheus registry this is the Prometheus client's own histogram, registered beside Micrometer's meters and
 * scraped with them. On any other registry it is a Micrometer summary with those buckets (right count and sum,
 * coarse buckets).
 */
final class FractionalHistogram {

    private static final Logger log = LoggerFactory.getLogger(FractionalHistogram.class);

    private final MeterRegistry registry;
    private final String name;
    private final String description;
    private final String label;
    private final double[] buckets;
    private final Histogram prometheus;

    /** {@code name} in Micrometer's dotted form; Prometheus sees it with underscores. */
    FractionalHistogram(MeterRegistry registry, String name, String description, String label, double[] buckets) {
        this.registry = registry;
        this.name = name;
        this.description = description;
        this.label = label;
        this.buckets = buckets.clone();
        this.prometheus = register(prometheusRegistry(registry));
    }

    void record(String labelValue, double value) {
        if (prometheus != null) {
            prometheus.labelValues(labelValue).observe(value);
            return;
        }
        DistributionSummary.builder(name).description(description).tag(label, labelValue)
                .serviceLevelObjectives(buckets).minimumExpectedValue(buckets[0]).register(registry).record(value);
    }

    private Histogram register(PrometheusMeterRegistry target) {
        if (target == null) {
            return null;
        }
        try {
            // no exemplars: their sampler needs the Prometheus tracer bridge, and traces are linked elsewhere
            return Histogram.builder().name(name.replace('.', '_')).help(description).labelNames(label)
                    .classicUpperBounds(buckets).classicOnly().withoutExemplars()
                    .register(target.getPrometheusRegistry());
        } catch (RuntimeException | LinkageError e) { // already there (a second instance on one registry): Micrometer's then
            log.warn("cannot register the Prometheus histogram {}: {}", name, e.toString());
            return null;
        }
    }

    private static PrometheusMeterRegistry prometheusRegistry(MeterRegistry registry) {
        if (registry instanceof PrometheusMeterRegistry prometheus) {
            return prometheus;
        }
        if (registry instanceof CompositeMeterRegistry composite) {
            for (MeterRegistry member : composite.getRegistries()) {
                PrometheusMeterRegistry found = prometheusRegistry(member);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
