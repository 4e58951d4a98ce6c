package dev.voxline.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer on its own thread. Records go to the handler in partition order; a handler exception is logged and
 * the record skipped (a poison record must not block its partition). A group member's offsets are committed by the
 * consumer on an interval ({@link KafkaClientSettings#groupCommits}) and when it closes — never a commit per record
 * or per poll. With a meter registry the consumer's own metrics are bound to it ({@link KafkaClientMetrics}) and its
 * lag is {@link ConsumerLag}; both go when the loop stops. No Spring: plain Java code (tools, benchmarks) runs the
 * same loop as the services.
 */
public final class PollLoop implements VoiceTransport.Subscription {

    private static final Logger log = LoggerFactory.getLogger(PollLoop.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final VoiceTransport.RecordHandler handler;
    private final boolean grouped;
    private final String description;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile boolean ready;
    private final KafkaClientMetrics clientMetrics;
    private final ConsumerLag lag;

    private PollLoop(Properties config, String description, boolean grouped, VoiceTransport.RecordHandler handler,
                     MeterRegistry meters, List<String> topics) {
        // whatever the caller's config says: the loop reads String keys and byte[] values
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        this.consumer = new KafkaConsumer<>(config);
        this.handler = handler;
        this.grouped = grouped;
        this.description = description;
        this.thread = new Thread(this::run, "poll-" + config.getProperty("client.id"));
        this.thread.setDaemon(true);
        if (meters != null) {
            this.clientMetrics = new KafkaClientMetrics(consumer);
            this.clientMetrics.bindTo(meters);
            this.lag = new ConsumerLag(meters, config.getProperty("group.id"), topics);
        } else {
            this.clientMetrics = null;
            this.lag = null;
        }
    }

    /**
     * Starts a group member on {@code topics}; {@code config} as {@link KafkaClientSettings#groupConsumer} makes it.
     * {@code listener} (may be null) hears the whole assignment each time it changes; {@code meters} may be null.
     */
    public static PollLoop subscribed(Properties config, List<String> topics, VoiceTransport.RecordHandler handler,
                                      VoiceTransport.AssignmentListener listener, MeterRegistry meters) {
        PollLoop loop = new PollLoop(config, "group " + config.getProperty("group.id") + " " + topics, true, handler,
                meters, topics);
        loop.consumer.subscribe(topics, new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                // auto-commit commits before a rebalance
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                // Resolve positions now so "ready" means: anything sent from here on will be seen.
                partitions.forEach(loop.consumer::position);
                loop.ready = true;
                log.info("{} assigned {}", loop.description, partitions);
                if (listener != null) {
                    // the whole assignment, not just this callback's share (cooperative rebalances pass only the
                    // added partitions)
                    Set<Integer> numbers = new TreeSet<>();
                    loop.consumer.assignment().forEach(tp -> numbers.add(tp.partition()));
                    try {
                        listener.onAssigned(numbers);
                    } catch (RuntimeException e) {
                        log.warn("{}: assignment listener failed: {}", loop.description, e.toString(), e);
                    }
                }
            }
        });
        loop.thread.start();
        return loop;
    }

    /**
     * Starts a consumer of fixed partitions of one topic, from their end; {@code config} as
     * {@link KafkaClientSettings#assignedConsumer} makes it; {@code meters} may be null.
     */
    public static PollLoop assigned(Properties config, String topic, List<Integer> partitions,
                                    VoiceTransport.RecordHandler handler, MeterRegistry meters) {
        PollLoop loop = new PollLoop(config, "assigned " + topic + partitions, false, handler, meters,
                List.of(topic));
        List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p)).toList();
        loop.consumer.assign(assigned);
        loop.consumer.seekToEnd(assigned);
        loop.thread.start();
        return loop;
    }

    private void run() {
        try {
            if (!grouped) {
                consumer.assignment().forEach(consumer::position);
                ready = true;
            }
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(KafkaClientSettings.POLL_TIMEOUT);
                if (lag != null) {
                    lag.update(consumer, System.nanoTime());
                }
                if (records.isEmpty()) {
                    continue;
                }
                long polled = WallClock.micros();
                for (ConsumerRecord<String, byte[]> record : records) {
                    dispatch(record, polled);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("{} stopped: {}", description, e.toString(), e);
        } finally {
            if (clientMetrics != null) { // first: its refresh must not find a closed consumer
                clientMetrics.close();
                lag.close();
            }
            try {
                consumer.close(Duration.ofSeconds(2));
            } catch (RuntimeException e) {
                log.debug("closing consumer", e);
            }
            ready = false;
            stopped.countDown();
        }
    }

    static VoiceRecord toVoiceRecord(ConsumerRecord<String, byte[]> record, long polled) {
        Map<String, String> headers = new HashMap<>();
        for (Header header : record.headers()) {
            if (header.value() != null) {
                headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        return new VoiceRecord(record.topic(), record.partition(), record.offset(), record.key(), headers,
                record.value(), polled);
    }

    private void dispatch(ConsumerRecord<String, byte[]> record, long polled) {
        try {
            handler.onRecord(toVoiceRecord(record, polled));
        } catch (RuntimeException e) {
            log.warn("{}: skipped record {}-{}@{} of session {}: {}", description, record.topic(),
                    record.partition(), record.offset(), record.key(), e.toString(), e);
        }
    }

    @Override
    public boolean isReady() {
        return ready;
    }

    /** What it reads and whether it is ready, for health details. */
    public String description() {
        return description + (ready ? " (ready)" : " (not ready)");
    }

    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        consumer.wakeup();
        try {
            if (Thread.currentThread() != thread) {
                stopped.await(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
