package dev.voxline.kafka;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code voice_kafka_consumer_lag_records{group, topic}}: how many records a consumer has yet to read, summed over
 * the partitions of the topic assigned to it (end offset − position). A group's lag is the sum over its members'
 * series, so each member reports only its own partitions.
 *
 * <p>Updated on the poll thread after a poll, at most once per {@link #UPDATE_INTERVAL}, from what the consumer
 * already knows ({@code currentLag}: the high watermark of its last fetch, no request to the broker); a scrape only
 * reads the numbers. A partition whose lag is not known yet (no fetch so far) counts as 0.
 */
final class ConsumerLag implements AutoCloseable {

    static final String METER = "voice.kafka.consumer.lag.records";
    /** The {@code group} of a consumer that has none (an {@code assign()}ed one). */
    static final String NO_GROUP = "none";
    static final Duration UPDATE_INTERVAL = Duration.ofSeconds(1);

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> lagByTopic = new LinkedHashMap<>();
    private final List<Meter> meters = new ArrayList<>();
    private long lastUpdateNanos;
    private boolean updated;

    ConsumerLag(MeterRegistry registry, String group, Collection<String> topics) {
        this.registry = registry;
        for (String topic : topics) {
            AtomicLong lag = new AtomicLong();
            lagByTopic.put(topic, lag);
            meters.add(Gauge.builder(METER, lag, AtomicLong::get)
                    .description("Records not yet read by this consumer, over its assigned partitions of the topic")
                    .tag("group", group == null ? NO_GROUP : group)
                    .tag("topic", topic)
                    .baseUnit("records")
                    .strongReference(true)
                    .register(registry));
        }
    }

    /** After a poll, on the consumer's own thread; does nothing until the interval since the last update passed. */
    void update(Consumer<?, ?> consumer, long nowNanos) {
        if (updated && nowNanos - lastUpdateNanos < UPDATE_INTERVAL.toNanos()) {
            return;
        }
        updated = true;
        lastUpdateNanos = nowNanos;
        Map<String, Long> sums = new HashMap<>();
        for (TopicPartition partition : consumer.assignment()) {
            OptionalLong lag = consumer.currentLag(partition);
            if (lag.isPresent() && lag.getAsLong() > 0) {
                sums.merge(partition.topic(), lag.getAsLong(), Long::sum);
            }
        }
        lagByTopic.forEach((topic, lag) -> lag.set(sums.getOrDefault(topic, 0L)));
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
        meters.clear();
    }
}
