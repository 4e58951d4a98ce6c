package dev.voxline.kafka;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka client settings of the critical path, in one place: {@link KafkaVoiceTransport} builds its producer and
 * consumers from these, and so does any plain kafka-clients code that must behave like the pipeline (the overhead
 * benchmark's floor chain). Every method returns a fresh, mutable {@link Properties}.
 *
 * <ul>
 *   <li>producer: {@code acks=1}, {@code linger.ms} 0 unless asked, idempotence off, {@code max.block.ms=5000},
 *       String keys, byte[] values; one producer per service;</li>
 *   <li>consumer: no auto-commit, {@code auto.offset.reset=latest}, {@code fetch.min.bytes=1}, session timeout 10 s,
 *       heartbeat 3 s; a group member ({@link #groupConsumer}) uses the range assignor (co-partitioning) and commits
 *       once a second; an {@code assign()}ed one ({@link #assignedConsumer}) never commits. One poll thread per
 *       consumer, {@code poll(}{@link #POLL_TIMEOUT}{@code )}.</li>
 * </ul>
 */
public final class KafkaClientSettings {

    /** The producer's default linger ({@code voxline.kafka.linger-ms}'s default). */
    public static final int DEFAULT_LINGER_MS = 0;
    /** How long one poll of a {@link PollLoop} waits for records. */
    public static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    /** How often a group member commits its position. */
    public static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);

    private KafkaClientSettings() {
    }

    /** The producer with the default linger. */
    public static Properties producer(String bootstrapServers, String clientId) {
        return producer(bootstrapServers, clientId, DEFAULT_LINGER_MS);
    }

    public static Properties producer(String bootstrapServers, String clientId, int lingerMs) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "1");
        config.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return config;
    }

    /**
     * What every consumer shares, before the group (if any) and the deserializers: {@link #groupConsumer} and
     * {@link #assignedConsumer} start from it.
     */
    public static Properties consumer(String bootstrapServers, String clientId) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Real-time audio: a stage that was not there when a record was sent has no use for it.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1);
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        return config;
    }

    /** A stage's consumer: a member of {@code groupId} with the range assignor, String keys and byte[] values. */
    public static Properties groupConsumer(String bootstrapServers, String clientId, String groupId) {
        Properties config = withDeserializers(consumer(bootstrapServers, clientId));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        groupCommits(config);
        return config;
    }

    /** A consumer of fixed partitions ({@code assign()}, no group, no commits), String keys and byte[] values. */
    public static Properties assignedConsumer(String bootstrapServers, String clientId) {
        return withDeserializers(consumer(bootstrapServers, clientId));
    }

    /**
     * A group member's offsets: committed by the consumer itself, at most once a second, inside {@code poll} (and
     * when partitions are revoked). A commit after every poll was one more broker request per few audio records —
     * about 4 % of a loaded service's CPU and more of the broker's — and a stage that restarts or takes over a
     * partition has no use for more than the last second of live audio anyway (reset is {@code latest}).
     */
    public static void groupCommits(Properties config) {
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true);
        config.put(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG, (int) COMMIT_INTERVAL.toMillis());
    }

    private static Properties withDeserializers(Properties config) {
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return config;
    }
}
