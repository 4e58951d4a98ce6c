package dev.voxline.kafka;

import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.Topics;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.contracts.event.VoiceEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@link VoiceTransport} on plain kafka-clients: one shared producer, one poll thread per subscription. With a meter
 * registry every long-lived client's own metrics are bound to it (Micrometer's {@link KafkaClientMetrics}, tagged
 * with its {@code client.id}: {@code <application>-producer}, {@code <application>-<group>},
 * {@code <application>-<topic>-assigned}) and each consumer reports its lag ({@link ConsumerLag}). The restore
 * consumers of {@link #readFromBeginning} are not bound: they live for seconds, usually less than a scrape
 * interval, each with a client id of its own, so their series would only come and go.
 */
public final class KafkaVoiceTransport implements VoiceTransport, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaVoiceTransport.class);

    private final VoxlineKafkaProperties properties;
    private final String clientId;
    private final KafkaProducer<String, byte[]> producer;
    private final MeterRegistry meters;
    private final KafkaClientMetrics producerMetrics;
    private final List<PollLoop> loops = new CopyOnWriteArrayList<>();
    private final AtomicLong sendFailures = new AtomicLong();
    private static final AtomicLong RESTORES = new AtomicLong();
    /** A restore that takes longer than this has failed (the stage went on without it long before). */
    private static final Duration RESTORE_LIMIT = Duration.ofSeconds(30);

    /** Without metrics (tests, tools). */
    public KafkaVoiceTransport(VoxlineKafkaProperties properties, String clientId) {
        this(properties, clientId, null);
    }

    /** {@code meters}: where the clients' metrics and the consumers' lag go, null for nowhere. */
    public KafkaVoiceTransport(VoxlineKafkaProperties properties, String clientId, MeterRegistry meters) {
        this.properties = properties;
        this.clientId = clientId;
        this.meters = meters;
        this.producer = new KafkaProducer<>(producerSettings(properties.bootstrapServers(), clientId + "-producer",
                properties.lingerMs()));
        if (meters != null) {
            this.producerMetrics = new KafkaClientMetrics(producer);
            this.producerMetrics.bindTo(meters);
        } else {
            this.producerMetrics = null;
        }
    }

    /**
     * The one producer's settings (DESIGN.md §2: the settings the plain chain was measured with). Public so the
     * overhead benchmark's test can check that its plain kafka-clients chain (loadtest, no Spring) uses exactly
     * these.
     */
    public static Properties producerSettings(String bootstrapServers, String producerClientId, int lingerMs) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, producerClientId);
        config.put(ProducerConfig.ACKS_CONFIG, "1");
        config.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return config;
    }

    @Override
    public void publish(String topic, SessionRoute route, VoiceEvent event) {
        send(topic, route, JsonCodec.typeName(event), JsonCodec.get().encode(event),
                VoiceTransport.eventHeaders(event));
    }

    @Override
    public void publishAudio(String topic, SessionRoute route, byte[] pcm, Map<String, String> headers) {
        send(topic, route, VoxHeaders.AUDIO_TYPE, pcm, headers);
    }

    @Override
    public void publishTombstone(String topic, SessionRoute route) {
        send(topic, route, null, null, Map.of());
    }

    /** {@code type} and {@code value} are null for a tombstone. */
    private void send(String topic, SessionRoute route, String type, byte[] value, Map<String, String> extra) {
        Integer partition = null;
        if (Topics.DOWNLINK.equals(topic)) {
            if (route.downlinkPartition() < 0) {
                log.warn("dropping {} for session {}: it has no downlink partition", type, route.sessionId());
                return;
            }
            partition = route.downlinkPartition();
        }
        RecordHeaders headers = new RecordHeaders();
        if (type != null) {
            headers.add(VoxHeaders.TYPE, bytes(type));
        }
        headers.add(VoxHeaders.DOWNLINK, bytes(Integer.toString(route.downlinkPartition())));
        if (route.traceparent() != null) {
            headers.add(VoxHeaders.TRACEPARENT, bytes(route.traceparent()));
        }
        extra.forEach((name, headerValue) -> headers.add(name, bytes(headerValue)));
        headers.add(VoxHeaders.SENT_US, bytes(Long.toString(WallClock.micros())));
        producer.send(new ProducerRecord<>(topic, partition, route.sessionId(), value, headers), (metadata, error) -> {
            if (error != null) {
                long failures = sendFailures.incrementAndGet();
                if (Long.bitCount(failures) == 1) { // log the 1st, 2nd, 4th, 8th … failure
                    log.warn("send to {} failed ({} failures so far): {}", topic, failures, error.toString());
                }
            }
        });
    }

    @Override
    public void prepare(Collection<String> topics) {
        topics.forEach(producer::partitionsFor);
    }

    @Override
    public Subscription subscribe(String groupId, Collection<String> topics, RecordHandler handler) {
        return subscribe(groupId, topics, handler, null);
    }

    @Override
    public Subscription subscribe(String groupId, Collection<String> topics, RecordHandler handler,
                                  AssignmentListener listener) {
        Properties config = consumerConfig(clientId + "-" + groupId);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        groupCommits(config);
        PollLoop loop = PollLoop.subscribed(config, List.copyOf(topics), handler, listener, meters);
        loops.add(loop);
        return loop;
    }

    @Override
    public Subscription assign(String topic, Collection<Integer> partitions, RecordHandler handler) {
        Properties config = consumerConfig(clientId + "-" + topic + "-assigned");
        PollLoop loop = PollLoop.assigned(config, topic, new ArrayList<>(partitions), handler, meters);
        loops.add(loop);
        return loop;
    }

    /**
     * A short-lived consumer of its own, on a bounded-elastic thread (its polls block), with {@code assign()} and
     * {@code seekToBeginning}: a compacted topic's state is the whole partition, whatever any group committed.
     */
    @Override
    public Mono<Void> readFromBeginning(String topic, Collection<Integer> partitions, RecordHandler handler) {
        List<Integer> numbers = List.copyOf(partitions);
        return Mono.<Void>fromRunnable(() -> readToEnd(topic, numbers, handler))
                .subscribeOn(Schedulers.boundedElastic());
    }

    private void readToEnd(String topic, List<Integer> partitions, RecordHandler handler) {
        if (partitions.isEmpty()) {
            return;
        }
        Properties config = consumerConfig(clientId + "-" + topic + "-restore-" + RESTORES.incrementAndGet());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        long t0 = System.nanoTime();
        long deadline = t0 + RESTORE_LIMIT.toNanos();
        int count = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(assigned);
            // the end now: what was written before this instance took the partitions over
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, RESTORE_LIMIT);
            consumer.seekToBeginning(assigned);
            Set<TopicPartition> remaining = new HashSet<>(assigned);
            remaining.removeIf(tp -> consumer.position(tp, RESTORE_LIMIT) >= end.getOrDefault(tp, 0L));
            while (!remaining.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + remaining + " took more than " + RESTORE_LIMIT);
                }
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
                long polled = WallClock.micros();
                for (ConsumerRecord<String, byte[]> record : records) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() < end.getOrDefault(tp, 0L)) {
                        handler.onRecord(PollLoop.toVoiceRecord(record, polled));
                        count++;
                    }
                }
                // compaction leaves gaps and control records: the position, not the last offset seen, says "done"
                remaining.removeIf(tp -> consumer.position(tp, RESTORE_LIMIT) >= end.getOrDefault(tp, 0L));
            }
        }
        log.info("read {} records of {} partitions {} in {} ms", count, topic, partitions,
                (System.nanoTime() - t0) / 1_000_000);
    }

    private Properties consumerConfig(String consumerClientId) {
        return consumerSettings(properties.bootstrapServers(), consumerClientId);
    }

    /**
     * Every consumer's settings; {@link #subscribe} adds the group and the range assignor, {@code PollLoop} the
     * deserializers. Public for the same reason as {@link #producerSettings}.
     */
    public static Properties consumerSettings(String bootstrapServers, String consumerClientId) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, consumerClientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Real-time audio: a stage that was not there when a record was sent has no use for it.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1);
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        return config;
    }

    /**
     * A group member's offsets: committed by the consumer itself, at most once a second, inside {@code poll} (and
     * when partitions are revoked). A commit after every poll was one more broker request per few audio records —
     * about 4 % of a loaded service's CPU and more of the broker's — and a stage that restarts or takes over a
     * partition has no use for more than the last second of live audio anyway (reset is {@code latest}).
     */
    public static void groupCommits(Properties config) {
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true);
        config.put(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG, 1_000);
    }

    public VoxlineKafkaProperties properties() {
        return properties;
    }

    /** True when every subscription made so far is ready. */
    public boolean subscriptionsReady() {
        return loops.stream().allMatch(PollLoop::isReady);
    }

    public Map<String, Object> describe() {
        Map<String, Object> details = new HashMap<>();
        details.put("bootstrapServers", properties.bootstrapServers());
        details.put("subscriptions", loops.stream().map(PollLoop::description).toList());
        details.put("sendFailures", sendFailures.get());
        return details;
    }

    @Override
    public void close() {
        loops.forEach(PollLoop::close);
        loops.clear();
        if (producerMetrics != null) {
            producerMetrics.close();
        }
        producer.close(Duration.ofSeconds(2));
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
