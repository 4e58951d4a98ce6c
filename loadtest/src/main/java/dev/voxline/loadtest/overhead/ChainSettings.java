package dev.voxline.loadtest.overhead;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The plain chain's Kafka client settings: exactly those of voice-kafka's {@code KafkaVoiceTransport}
 * ({@code producerSettings}, {@code consumerSettings}, what {@code subscribe} adds for a group, and the
 * deserializers of its {@code PollLoop}), written out here because the client jar carries no Spring and so not
 * voice-kafka. {@code ChainSettingsTests} compares them with KafkaVoiceTransport's, so they cannot drift apart.
 *
 * <ul>
 *   <li>producer: {@code acks=1}, {@code linger.ms=0} (voxline.kafka.linger-ms default), idempotence off,
 *       {@code max.block.ms=5000}, String keys, byte[] values; one producer per service</li>
 *   <li>consumer: {@code auto.offset.reset=latest},
 *       {@code fetch.min.bytes=1} (fetch.max.wait.ms left at its default), session timeout 10 s, heartbeat 3 s;
 *       groups use the range assignor and auto-commit once a second (the gateway's assigned consumer never
 *       commits); one poll thread per consumer, {@code poll(200 ms)}, the poll time taken once
 *       per returned batch</li>
 * </ul>
 */
public final class ChainSettings {

    /** PollLoop's poll timeout. */
    public static final int POLL_MILLIS = 200;
    /** voxline.kafka.linger-ms's default. */
    public static final int LINGER_MS = 0;

    private ChainSettings() {
    }

    public static Properties producer(String bootstrapServers, String clientId) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "1");
        config.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return config;
    }

    /** A consumer as KafkaVoiceTransport makes it, before the group (if any) and the deserializers. */
    public static Properties consumer(String bootstrapServers, String clientId) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1);
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        return config;
    }

    /** A stage's consumer: in a group with the range assignor (KafkaVoiceTransport.subscribe). */
    static Properties groupConsumer(String bootstrapServers, String clientId, String groupId) {
        Properties config = withDeserializers(consumer(bootstrapServers, clientId));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true);
        config.put(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG, 1_000);
        return config;
    }

    /** The gateway's downlink consumer: fixed partitions, no group (KafkaVoiceTransport.assign). */
    static Properties assignedConsumer(String bootstrapServers, String clientId) {
        return withDeserializers(consumer(bootstrapServers, clientId));
    }

    private static Properties withDeserializers(Properties config) {
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return config;
    }
}
