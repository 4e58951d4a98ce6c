package dev.voxline.metrics.summary;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * How many events of each type metrics-service has ingested, as the Micrometer counter
 * {@code voice_metrics_events_total{type}} and as a snapshot for the REST summary. The counter is the only store, so
 * the two can never disagree.
 *
 * <p>Tag values are bounded: known event types by name, everything else as {@link #UNKNOWN} or {@link #INVALID}, so
 * a misbehaving producer cannot blow up the number of time series.
 */
public final class EventTally {

    public static final String METER = "voice.metrics.events";
    /** Well-formed JSON whose {@code type} this version does not know (a newer producer, probably). */
    public static final String UNKNOWN = "unknown";
    /** Not a decodable event at all: malformed JSON, no {@code type}, wrong field types. */
    public static final String INVALID = "invalid";

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

    public EventTally(MeterRegistry registry) {
        this.registry = registry;
    }

    public void count(String type) {
        counters.computeIfAbsent(type, this::register).increment();
    }

    /** Counts per type, sorted by type name; types never seen are absent. */
    public SortedMap<String, Long> snapshot() {
        SortedMap<String, Long> counts = new TreeMap<>();
        for (Map.Entry<String, Counter> entry : counters.entrySet()) {
            counts.put(entry.getKey(), (long) entry.getValue().count());
        }
        return counts;
    }

    private Counter register(String type) {
        return Counter.builder(METER)
                .description("Events ingested from voice.metrics, by event type")
                .tag("type", type)
                .register(registry);
    }
}
